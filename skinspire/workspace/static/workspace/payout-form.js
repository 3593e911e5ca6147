// The record-a-supplier-payment page (templates/workspace/payouts/record.html). Everything
// goes through the payouts API: the supplier's accounts and open invoices, a new account and
// its check with the bank, the fee preview, and the payment itself. Amounts are handled as
// text and whole paise, never as floating-point rupees.
(function () {
  "use strict";

  const form = document.getElementById("payout-form");
  if (!form) {
    return;
  }
  const api = window.skinspireWorkspace;
  const byId = function (id) {
    return document.getElementById(id);
  };
  const supplier = byId("supplier");
  const account = byId("account");
  const amount = byId("amount");
  const invoiceRows = byId("invoice-table").querySelector("tbody");
  const dialog = byId("account-dialog");
  const accountForm = byId("account-form");
  let previewTimer = null;

  // Answers may come back out of order (change the supplier twice quickly, type an amount
  // while a slow preview is on its way): only the newest request of each kind may change the
  // page, so one supplier's accounts or invoices never show under another, nor an old fee.
  // `ask(request)` is the request's answer, or null when a newer one was asked meanwhile (or
  // `ask.forget()` was called: the answer is no longer wanted at all).
  function newestOnly() {
    let asked = 0;
    async function ask(request) {
      const mine = ++asked;
      const answer = await request();
      return mine === asked ? answer : null;
    }
    ask.forget = function () {
      asked += 1;
    };
    return ask;
  }
  const askAccounts = newestOnly();
  const askInvoices = newestOnly();
  const askFee = newestOnly();

  function checked(name) {
    return form.querySelector("input[name=" + name + "]:checked").value;
  }

  // "1,500.5" is not accepted: digits, and at most two of them after the point.
  function toPaise(text) {
    const match = /^\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(text || "");
    if (!match) {
      return null;
    }
    return parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10);
  }

  function fromPaise(paise) {
    return Math.floor(paise / 100) + "." + String(paise % 100).padStart(2, "0");
  }

  function inr(text) {
    const paise = toPaise(text);
    if (paise === null) {
      return text;
    }
    const rupees = Math.floor(paise / 100).toString();
    const tail = rupees.slice(-3);
    const head = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ",");
    return "₹" + (head ? head + "," : "") + tail + "." + String(paise % 100).padStart(2, "0");
  }

  function option(text, value, disabled) {
    const item = new Option(text, value);
    item.disabled = Boolean(disabled);
    return item;
  }

  // An account's check with the bank, in words for the account list.
  const VALIDATION_WORDS = {
    not_validated: "not checked with the bank",
    pending: "bank check under way",
    active: "checked with the bank",
    invalid: "the bank says invalid: cannot be paid",
    failed: "bank check failed: try again",
  };

  function payable(item) {
    return item.payable && item.validation_status !== "invalid";
  }

  function describeAccount(item) {
    const parts = [item.account, item.holder_name];
    parts.push(item.verified ? "verified" : VALIDATION_WORDS[item.validation_status] || item.validation_status);
    if (item.registered_name) {
      parts.push("bank says " + item.registered_name + (item.name_mismatch ? " (name differs)" : ""));
    }
    if (item.approval_status !== "approved") {
      parts.push("awaiting approval");
    } else if (!item.payable && item.payable_after) {
      parts.push("cooling-off until " + new Date(item.payable_after).toLocaleString("en-IN"));
    } else if (!item.is_active) {
      parts.push("inactive");
    }
    return parts.join(" · ");
  }

  async function loadAccounts(choose) {
    account.replaceChildren(option("Loading accounts…", ""));
    const answer = await askAccounts(() => api.callApi("GET", "/api/supplier/" + supplier.value + "/bank-accounts"));
    if (answer === null) {
      return null;
    }
    if (!answer.ok) {
      account.replaceChildren(option("Accounts could not be loaded", ""));
      api.show(form, api.describeError(answer.data), "error");
      return [];
    }
    const items = answer.data;
    account.replaceChildren(option(items.length ? "Choose an account" : "No account yet: add one", ""));
    items.forEach(function (item) {
      account.add(option(describeAccount(item), item.id, !payable(item)));
    });
    if (choose) {
      account.value = String(choose);
    }
    return items;
  }

  async function loadInvoices() {
    invoiceRows.replaceChildren();
    const answer = await askInvoices(() => api.callApi("GET", "/api/supplier/" + supplier.value + "/invoices"));
    if (answer === null) {
      return;
    }
    const open = answer.ok ? answer.data.filter((item) => toPaise(item.amount_open) > 0) : [];
    byId("invoice-table").hidden = open.length === 0;
    byId("invoices-empty").hidden = open.length > 0;
    byId("invoices-empty").textContent = answer.ok ? "No open invoices." : api.describeError(answer.data);
    open.forEach(function (item) {
      const row = invoiceRows.insertRow();
      row.insertCell().textContent = item.number;
      row.insertCell().textContent = item.invoice_date;
      const openCell = row.insertCell();
      openCell.className = "amount";
      openCell.textContent = inr(item.amount_open);
      const input = document.createElement("input");
      input.name = "invoice";
      input.inputMode = "decimal";
      input.dataset.invoice = item.id;
      input.dataset.number = item.number;
      input.placeholder = item.amount_open;
      input.setAttribute("aria-label", "Pay now for invoice " + item.number + " (open " + inr(item.amount_open) + ")");
      row.insertCell().appendChild(input);
    });
  }

  function allocations() {
    return Array.from(invoiceRows.querySelectorAll("input[name=invoice]"))
      .filter((input) => input.value.trim() !== "")
      .map((input) => ({ invoice_id: Number(input.dataset.invoice), amount: input.value.trim() }));
  }

  function sumInvoices() {
    const shares = allocations();
    const paise = shares.map((share) => toPaise(share.amount));
    if (shares.length && paise.every((value) => value !== null)) {
      amount.value = fromPaise(paise.reduce((total, value) => total + value, 0));
    }
    schedulePreview();
  }

  function schedulePreview() {
    window.clearTimeout(previewTimer);
    previewTimer = window.setTimeout(preview, 300);
  }

  async function preview() {
    const section = byId("fee-preview");
    if (checked("method") !== "gateway_payout" || toPaise(amount.value) === null) {
      askFee.forget();
      section.hidden = true;
      return;
    }
    const body = { amount: amount.value.trim(), mode: checked("mode") };
    if (byId("provider").value) {
      body.provider = byId("provider").value;
    }
    const answer = await askFee(() => api.callApi("POST", "/api/payouts/fee-preview", body));
    if (answer === null) {
      return;
    }
    section.hidden = false;
    if (!answer.ok) {
      byId("fee-gateway").textContent = api.describeError(answer.data);
      ["fee-amount", "fee-receives", "fee-debit"].forEach((id) => (byId(id).textContent = "—"));
      return;
    }
    // The gateway's name as the Gateway list shows it ("Razorpay"), not its code.
    const named = Array.from(byId("provider").options).find((option) => option.value === answer.data.gateway);
    byId("fee-gateway").textContent = named ? named.textContent : answer.data.gateway;
    byId("fee-amount").textContent = inr(answer.data.fee) + " (GST " + inr(answer.data.gst) + ")";
    byId("fee-receives").textContent = inr(answer.data.supplier_receives);
    byId("fee-debit").textContent = inr(answer.data.total_debit);
  }

  function showMethod() {
    const method = checked("method");
    byId("gateway-part").hidden = method !== "gateway_payout";
    byId("link-part").hidden = method !== "payout_link";
    byId("manual-part").hidden = method !== "manual";
    describeSubmit();
    schedulePreview();
  }

  // The button says what pressing it does: send the money now, send the supplier a link,
  // wait for an approver (at or above the hospital's threshold), or only record what was
  // already paid by hand.
  function describeSubmit() {
    const threshold = form.dataset.threshold === undefined ? null : toPaise(form.dataset.threshold);
    const paise = toPaise(amount.value);
    const method = checked("method");
    const sends = method !== "manual";
    let label = { gateway_payout: "Send payment", payout_link: "Send payout link" }[method] || "Record payment";
    let help = {
      gateway_payout: "Sends the money through the gateway now.",
      payout_link: "Sends the supplier a link to enter their own account; the gateway pays once they do.",
    }[method] || "Records a payment already made; nothing is sent.";
    if (threshold !== null && paise !== null && paise >= threshold) {
      label = "Submit for approval";
      help = "At or above " + inr(form.dataset.threshold) + ": a Payment approver approves it before " + (sends ? "it is sent." : "it counts.");
    }
    byId("submit-payment").textContent = label;
    byId("submit-help").textContent = help;
  }

  // A payout link: POST /api/gateway/create-payment-link with the supplier (DESIGN.md).
  function linkFields(body) {
    body.expire_in_hours = Number(byId("link-expiry").value);
    body.notify = Array.from(form.querySelectorAll("input[name=notify]:checked")).map((input) => input.value);
    if (byId("link-provider").value) {
      body.provider = byId("link-provider").value;
    }
    return "/api/gateway/create-payment-link";
  }

  // What the next page says first: recorded, and the gateway's reason if it holds the
  // payout (e.g. a low balance) or refused it, so nobody has to dig for it.
  function recordedMessage(payment) {
    const said = "Payment " + payment.reference + " recorded: " + payment.status.replace("_", " ") + ".";
    if (payment.failure_reason) {
      return [said + " The gateway did not pay it: " + payment.failure_reason, "error"];
    }
    if (payment.waiting_reason) {
      return [said + " The gateway is holding it: " + payment.waiting_reason, "warning"];
    }
    return [said, "success"];
  }

  // The API names a refused invoice share by its place in the list sent ({"invoices": {"1":
  // {...}}}); the person knows it by its number, so each becomes "invoice <number>".
  function byInvoiceNumber(data, shares) {
    const fields = data && data.extra && data.extra.fields;
    const errors = fields && fields.invoices;
    if (!errors || typeof errors !== "object") {
      return data;
    }
    const renamed = {};
    const left = [];
    Object.keys(errors).forEach(function (key) {
      const share = /^[0-9]+$/.test(key) ? shares[Number(key)] : undefined;
      const input = share && invoiceRows.querySelector("input[data-invoice='" + share.invoice_id + "']");
      if (input && typeof errors[key] === "object") {
        renamed["invoice " + input.dataset.number] = errors[key];
      } else if (typeof errors[key] !== "object" || Object.keys(errors[key]).length) {
        left.push(errors[key]);
      }
    });
    const named = Object.assign({}, fields);
    delete named.invoices;
    if (left.length) {
      named.invoices = left;
    }
    return Object.assign({}, data, { extra: Object.assign({}, data.extra, { fields: Object.assign(named, renamed) }) });
  }

  async function submit(event) {
    event.preventDefault();
    const method = checked("method");
    const gateway = method === "gateway_payout";
    const body = {
      supplier_id: supplier.value,
      amount: amount.value.trim(),
      idempotency_key: form.elements.idempotency_key.value,
    };
    const shares = allocations();
    if (shares.length) {
      body.invoices = shares;
    }
    let url = gateway ? "/api/gateway/initiate-payout" : "/api/payouts/payments/manual";
    if (method === "payout_link") {
      url = linkFields(body);
    } else if (gateway) {
      body.account_id = account.value;
      body.mode = checked("mode");
      if (byId("provider").value) {
        body.provider = byId("provider").value;
      }
    } else {
      body.mode = byId("manual-mode").value;
      body.manual_reference = byId("manual-reference").value.trim();
    }
    const button = byId("submit-payment");
    button.disabled = true;
    const answer = await api.callApi("POST", url, body);
    button.disabled = false;
    if (!answer.ok) {
      api.show(form, api.describeError(byInvoiceNumber(answer.data, shares)), "error");
      return;
    }
    api.flash.apply(null, recordedMessage(answer.data));
    window.location.assign(form.dataset.detail.replace("/0/", "/" + answer.data.id + "/"));
  }

  async function addAccount(event) {
    event.preventDefault();
    const result = { dataset: { result: "account-result" } };
    const kind = accountForm.querySelector("input[name=type]:checked").value;
    const body = { type: kind, holder_name: byId("holder-name").value.trim() };
    if (kind === "bank") {
      body.account_number = byId("account-number").value.trim();
      body.ifsc = byId("ifsc").value.trim().toUpperCase();
    } else {
      body.vpa = byId("vpa").value.trim();
    }
    const created = await api.callApi("POST", "/api/supplier/" + supplier.value + "/bank-accounts", body);
    if (!created.ok) {
      api.show(result, api.describeError(created.data), "error");
      return;
    }
    const checkedAccount = await api.callApi("POST", "/api/supplier-accounts/" + created.data.id + "/validate");
    const items = (await loadAccounts(created.data.id)) || []; // [] if the supplier changed meanwhile
    const added = items.find((item) => item.id === created.data.id) || created.data;
    if (!checkedAccount.ok) {
      api.show(result, "Added " + added.account + ", but the bank check failed: " + api.describeError(checkedAccount.data), "error");
      return;
    }
    api.show(result, "Added " + added.account + ". " + bankAnswer(added), added.name_mismatch || added.validation_status === "invalid" || added.validation_status === "failed" ? "error" : "success");
  }

  // What the bank said about a new account, in words a person acts on.
  function bankAnswer(added) {
    if (added.validation_status === "invalid") {
      return "The bank says this account is invalid (no such account, or closed): it cannot be paid. Check the account number and IFSC (or the UPI id) with the supplier and add it again.";
    }
    if (added.validation_status === "failed") {
      return "The bank did not answer the check; it cannot be paid until it is checked. Try again later.";
    }
    if (added.registered_name) {
      return "The bank says the name is " + added.registered_name + (added.name_mismatch ? " — not the name you typed: check before paying." : ".");
    }
    return "The bank's answer is on its way; it shows in the account list.";
  }

  supplier.addEventListener("change", function () {
    byId("add-account").disabled = !supplier.value;
    if (supplier.value) {
      loadAccounts();
      loadInvoices();
    }
  });
  form.querySelectorAll("input[name=method]").forEach((input) => input.addEventListener("change", showMethod));
  form.querySelectorAll("input[name=mode]").forEach((input) => input.addEventListener("change", schedulePreview));
  byId("provider").addEventListener("change", schedulePreview);
  amount.addEventListener("input", schedulePreview);
  amount.addEventListener("input", describeSubmit);
  invoiceRows.addEventListener("input", sumInvoices);
  invoiceRows.addEventListener("input", describeSubmit);
  form.addEventListener("submit", submit);
  showMethod(); // the page may start on "by hand" (gateway payouts switched off)

  byId("add-account").addEventListener("click", function () {
    byId("account-result").hidden = true;
    dialog.showModal();
  });
  byId("account-close").addEventListener("click", () => dialog.close());
  accountForm.addEventListener("submit", addAccount);
  accountForm.querySelectorAll("input[name=type]").forEach(function (input) {
    input.addEventListener("change", function () {
      const kind = accountForm.querySelector("input[name=type]:checked").value;
      accountForm.querySelectorAll("[data-kind]").forEach((field) => (field.hidden = field.dataset.kind !== kind));
    });
  });
})();
