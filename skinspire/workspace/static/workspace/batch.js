// Batch payouts: upload a file to the batch API (multipart, the session cookie and the CSRF
// token) and list each wrong row; on a batch's page, poll its progress while rows move.
// Plain fetch like workspace.js (docs/workspace.md); a static file, so the CSP holds.
(function () {
  "use strict";

  const POLL_MS = 1500;
  const RUPEES = new Intl.NumberFormat("en-IN", { style: "currency", currency: "INR" });

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function showMessage(text, tone) {
    const region = document.getElementById("action-result");
    region.textContent = text;
    region.className = "message message-" + tone;
    region.hidden = false;
    region.focus();
  }

  function showRowErrors(rows) {
    const box = document.getElementById("upload-errors");
    const body = box.querySelector("tbody");
    body.replaceChildren();
    Object.keys(rows)
      .sort(function (a, b) {
        return Number(a) - Number(b);
      })
      .forEach(function (number) {
        const tr = document.createElement("tr");
        const row = document.createElement("td");
        const problem = document.createElement("td");
        row.textContent = number;
        problem.textContent = [].concat(rows[number]).join(" ");
        tr.append(row, problem);
        body.append(tr);
      });
    box.hidden = Object.keys(rows).length === 0;
  }

  async function upload(form) {
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    showRowErrors({});
    let answer;
    try {
      const response = await fetch(form.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: new FormData(form),
      });
      let data;
      try {
        data = await response.json();
      } catch (error) {
        data = { message: "The server answered " + response.status + " without details." };
      }
      answer = { ok: response.ok, data: data };
    } catch (error) {
      answer = { ok: false, data: { message: "The server could not be reached. Try again." } };
    }
    button.disabled = false;
    if (answer.ok) {
      const created = answer.data.progress.rows;
      const waiting = created === 1 ? "1 row waits" : created + " rows wait";
      window.skinspireWorkspace.flash("Batch created: " + waiting + " for an approver.");
      window.location.assign(form.dataset.next.replace("/0/", "/" + answer.data.id + "/"));
      return;
    }
    const rows = answer.data.extra && answer.data.extra.rows ? answer.data.extra.rows : {};
    showRowErrors(rows);
    showMessage(window.skinspireWorkspace.describeError(answer.data), "error");
  }

  function badge(status, labels, tones) {
    const span = document.createElement("span");
    span.className = "badge badge-" + (tones[status] || "neutral");
    span.dataset.status = status;
    span.textContent = labels[status] || status;
    return span;
  }

  // The batch's badge follows its phase, and each row its payment's status and UTR (or why
  // it failed or waits), so the page shows which row did what without opening it.
  function renderRows(batch, labels, tones) {
    const heading = document.getElementById("batch-status");
    const current = heading.querySelector(".badge");
    if (!current || current.dataset.status !== batch.progress.phase) {
      heading.replaceChildren(badge(batch.progress.phase, labels, tones));
    }
    (batch.rows || []).forEach(function (row) {
      const tr = document.querySelector("#batch-rows tr[data-payment='" + row.id + "']");
      if (!tr) {
        return;
      }
      const cell = tr.querySelector(".row-status");
      const shown = cell.querySelector(".badge");
      if (!shown || shown.dataset.status !== row.status) {
        cell.replaceChildren(badge(row.status, labels, tones));
      }
      tr.querySelector(".row-detail").textContent = row.utr || row.failure_reason || row.waiting_reason || "";
    });
  }

  function render(section, batch) {
    const labels = JSON.parse(section.dataset.labels);
    const tones = JSON.parse(section.dataset.tones);
    const progress = batch.progress;
    renderRows(batch, labels, tones);
    document.getElementById("progress-finished").textContent = progress.finished;
    document.getElementById("progress-rows").textContent = progress.rows;
    document.getElementById("progress-amount").textContent = RUPEES.format(Number(progress.total_amount));
    const body = document.querySelector("#progress-table tbody");
    body.replaceChildren();
    Object.keys(progress.by_status)
      .sort()
      .forEach(function (status) {
        const line = progress.by_status[status];
        const tr = document.createElement("tr");
        tr.dataset.status = status;
        const name = document.createElement("td");
        const count = document.createElement("td");
        const amount = document.createElement("td");
        name.append(badge(status, labels, tones));
        count.className = amount.className = "amount";
        count.textContent = line.count;
        amount.textContent = RUPEES.format(Number(line.amount));
        tr.append(name, count, amount);
        body.append(tr);
      });
  }

  // Polls while the batch is approved and some rows have not reached an end.
  function running(batch) {
    return batch.status === "approved" && batch.progress.finished < batch.progress.rows;
  }

  async function poll(section) {
    const answer = await window.skinspireWorkspace.callApi("GET", section.dataset.apiUrl);
    if (answer.ok) {
      render(section, answer.data);
      section.dataset.polling = running(answer.data) ? "yes" : "done";
      if (!running(answer.data)) {
        return;
      }
    } else if (answer.status >= 400 && answer.status < 500) {
      // Signed out, or no longer allowed: asking again would not help.
      section.dataset.polling = "stopped";
      showMessage(window.skinspireWorkspace.describeError(answer.data), "error");
      return;
    }
    // A network error or a 5xx: keep trying, the page stays as it was meanwhile.
    window.setTimeout(function () {
      poll(section);
    }, POLL_MS);
  }

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form#batch-upload");
    if (!form) {
      return;
    }
    event.preventDefault();
    upload(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    const section = document.getElementById("progress");
    if (section && section.dataset.apiUrl) {
      poll(section);
    }
  });
})();
