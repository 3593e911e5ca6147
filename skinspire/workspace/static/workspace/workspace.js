// The workspace's one script: forms marked data-api-url call the DRF API (JSON, the
// session cookie and the CSRF token) instead of navigating, and show the API's answer.
// Plain fetch, no framework: see docs/workspace.md for why. Loaded as a static file, so
// the Content-Security-Policy (script-src 'self') holds.
(function () {
  "use strict";

  const FLASH = "skinspire-workspace-flash";

  function csrfToken() {
    const input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  async function callApi(method, url, body) {
    const options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, options);
    } catch (error) {
      return { ok: false, status: 0, data: { message: "The server could not be reached. Try again." } };
    }
    let data;
    try {
      data = await response.json();
    } catch (error) {
      data = { message: "The server answered " + response.status + " without details." };
    }
    return { ok: response.ok, status: response.status, data: data };
  }

  // The API's errors are {"message": ..., "extra": {"fields": {name: [messages]}}}. A
  // service's field entries are machine codes ("invalid_account") that only repeat its
  // message, so they are left out when there is a message; sentences are shown.
  const CODE = /^[a-z_]+$/;

  function describeError(data) {
    const message = data && data.message ? data.message : "";
    const lines = [message || "That did not work."];
    const fields = data && data.extra && data.extra.fields ? data.extra.fields : {};
    const byPlace = new Map();
    Object.keys(fields).forEach(function (name) {
      collectMessages(fieldLabel(name), fields[name], byPlace);
    });
    byPlace.forEach(function (messages, place) {
      const shown = messages.filter(function (item) {
        return !(message && CODE.test(item));
      });
      if (shown.length) {
        lines.push(place + ": " + shown.join(" "));
      }
    });
    return lines.join("\n");
  }

  function fieldLabel(name) {
    return name.replace(/_id$/, "").replace(/_/g, " ");
  }

  // A list's or a nested serializer's errors are nested ({"invoices": {"1": {"amount": [...]}}}
  // or a list with {} for the good rows): each message goes under the place it is about
  // ("invoices 2 amount"; a number counts from 1), never as JSON.
  function collectMessages(place, value, byPlace) {
    if (typeof value === "string") {
      byPlace.set(place, (byPlace.get(place) || []).concat([value]));
    } else if (Array.isArray(value)) {
      value.forEach(function (item, index) {
        collectMessages(typeof item === "string" ? place : place + " " + (index + 1), item, byPlace);
      });
    } else if (value && typeof value === "object") {
      Object.keys(value).forEach(function (key) {
        const part = /^[0-9]+$/.test(key) ? String(Number(key) + 1) : fieldLabel(key);
        collectMessages(place + " " + part, value[key], byPlace);
      });
    }
  }

  // Fields become JSON; a group of checkboxes becomes a list (possibly absent = none).
  function formBody(form) {
    const lists = new Set(
      Array.from(form.querySelectorAll("input[type=checkbox]")).map(function (input) {
        return input.name;
      })
    );
    const body = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken") {
        return;
      }
      if (lists.has(name)) {
        body[name] = (body[name] || []).concat([value]);
      } else if (value !== "") {
        body[name] = value;
      }
    });
    return body;
  }

  function show(form, text, tone) {
    const region = document.getElementById(form.dataset.result || "action-result");
    if (!region) {
      return;
    }
    region.textContent = text;
    region.className = "message message-" + tone;
    region.hidden = false;
    region.focus();
  }

  async function submitToApi(form) {
    const method = (form.dataset.method || "POST").toUpperCase();
    const button = form.querySelector("button[type=submit]");
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      return;
    }
    if (button) {
      button.disabled = true;
    }
    const body = method === "GET" ? undefined : formBody(form);
    const answer = await callApi(method, form.dataset.apiUrl, body);
    if (button) {
      button.disabled = false;
    }
    if (!answer.ok) {
      show(form, describeError(answer.data), "error");
      return;
    }
    // Kept across the reload, and shown by the next page (see below).
    flash(form.dataset.done || "Done.");
    if (form.dataset.next) {
      window.location.assign(form.dataset.next.replace("{id}", answer.data.id));
    } else {
      window.location.reload();
    }
  }

  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-api-url]");
    if (!form) {
      return;
    }
    event.preventDefault();
    submitToApi(form);
  });

  // <button data-copy="input-id">: copies the input's value (a payment link) and says so.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-copy]");
    if (!button) {
      return;
    }
    const input = document.getElementById(button.dataset.copy);
    const done = function () {
      button.textContent = "Copied";
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        input.select();
        button.textContent = "Press Ctrl+C to copy";
      });
    } else {
      input.select();
      button.textContent = "Press Ctrl+C to copy";
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    // Buttons whose form is sent by a script (to the API, by fetch) come disabled, so that a
    // click before the page's scripts have run cannot post the form itself to the API's URL
    // (the person would land on its JSON). Deferred scripts have all run by now.
    document.querySelectorAll("button[data-needs-script]").forEach((button) => (button.disabled = false));
    const stored = window.sessionStorage.getItem(FLASH);
    const region = document.getElementById("action-result");
    if (stored && region) {
      window.sessionStorage.removeItem(FLASH);
      const message = JSON.parse(stored);
      region.textContent = message.text;
      region.className = "message message-" + message.tone;
      region.hidden = false;
    }
  });

  // A message for the next page this tab opens (after a reload or a redirect); `tone` is
  // success (the default), warning or error.
  function flash(text, tone) {
    window.sessionStorage.setItem(FLASH, JSON.stringify({ text: text, tone: tone || "success" }));
  }

  window.skinspireWorkspace = { callApi: callApi, describeError: describeError, show: show, flash: flash };
})();
