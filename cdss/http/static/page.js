// The case-entry page: the form is built from the FHIR Questionnaire; on submit the answers go
// as a QuestionnaireResponse in the prefetch of a CDS Hooks patient-view call, and the cards
// come back alerts first. No external code; every text is set with textContent (no HTML from
// the server is ever parsed).
"use strict";
(function () {
  const MIN = "http://hl7.org/fhir/StructureDefinition/minValue";
  const MAX = "http://hl7.org/fhir/StructureDefinition/maxValue";
  const SERVICE = "cds-services/foot-drop";
  const NON_ALERT = { differential: 1, tests: 1, treatments: 1, unused: 1 };
  const SECTIONS = [
    ["alerts", "Alerts"], ["differential", "Causes and what to collect next"],
    ["tests", "Tests"], ["treatments", "Treatments"], ["unused", "Not used"],
  ];
  const LABEL = { critical: "EMERGENCY", warning: "URGENT", info: "ALERT" };
  const $ = (id) => document.getElementById(id);
  const fieldId = (link, suffix) => "f-" + link + (suffix || "");

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function ext(item, url) {
    const e = (item.extension || []).find((x) => x.url === url);
    return e === undefined ? undefined : (e.valueInteger ?? e.valueDecimal);
  }
  function fieldBox(item, node, id, errId) {
    const box = el("div", { class: "field", "data-link": item.linkId });
    box.append(el("label", { for: id }, item.text), node);
    box.append(el("span", { class: "error", id: errId, hidden: "" }));
    return box;
  }
  function input(item, suffix) {
    const id = fieldId(item.linkId, suffix);
    const errId = "err-" + item.linkId + suffix;
    const common = { id: id, name: item.linkId + suffix, "aria-describedby": errId };
    if (item.type === "choice" && item.repeats) {
      const group = el("fieldset", { class: "checks", id: id, "aria-describedby": errId });
      group.append(el("legend", {}, item.text));
      for (const opt of item.answerOption || []) {
        const cid = id + "-" + opt.valueCoding.code;
        const box = el("input", { type: "checkbox", id: cid, value: opt.valueCoding.code });
        const lab = el("label", { for: cid });
        lab.append(box, " " + opt.valueCoding.display);
        group.append(lab);
      }
      const wrap = el("div", { class: "field", "data-link": item.linkId });
      wrap.append(group, el("span", { class: "error", id: errId, hidden: "" }));
      return wrap;
    }
    let node;
    if (item.type === "choice" || item.type === "boolean") {
      node = el("select", common);
      node.append(el("option", { value: "" }, "not recorded"));
      const opts = item.type === "boolean"
        ? [["true", "yes"], ["false", "no"]]
        : (item.answerOption || []).map((o) => [o.valueCoding.code, o.valueCoding.display]);
      for (const [value, text] of opts) node.append(el("option", { value: value }, text));
    } else if (item.type === "integer" || item.type === "decimal") {
      node = el("input", Object.assign(common, { type: "number", inputmode: "decimal",
        step: item.type === "integer" ? "1" : "any" }));
      const low = ext(item, MIN), high = ext(item, MAX);
      if (low !== undefined) node.min = String(low);
      if (high !== undefined) node.max = String(high);
    } else {
      node = el("input", Object.assign(common, { type: "text" }));
    }
    node.dataset.type = item.type;
    return fieldBox(item, node, id, errId);
  }
  const copies = {};  // linkId of a repeating group -> how many instances are shown
  function render(items, parent, suffix) {
    for (const item of items || []) {
      if (item.type !== "group") { parent.append(input(item, suffix)); continue; }
      const set = el("fieldset", { "data-group": item.linkId });
      set.append(el("legend", {}, item.text));
      if (!item.repeats) { render(item.item, set, suffix); parent.append(set); continue; }
      const list = el("div", { class: "copies" });
      const add = el("button", { type: "button", id: "add-" + item.linkId }, "Add another");
      const more = () => {
        const n = copies[item.linkId] || 0;
        copies[item.linkId] = n + 1;
        const one = el("div", { class: "copy", "data-copy": String(n) });
        render(item.item, one, n ? "#" + n : "");
        list.append(one);
      };
      add.addEventListener("click", more);
      more();
      set.append(list, add);
      parent.append(set);
    }
  }

  function answersOf(item, errors, suffix) {
    const node = $(fieldId(item.linkId, suffix));
    if (item.type === "choice" && item.repeats) {
      return [...node.querySelectorAll("input:checked")].map((c) => ({
        valueCoding: { system: "urn:cdss:v1:case-format", code: c.value } }));
    }
    if (node.validity && node.validity.badInput) {
      errors.push({ field: item.linkId + suffix, description: "is not a number" });
      return [];
    }
    const raw = node.value.trim();
    if (raw === "") return [];
    if (item.type === "boolean") return [{ valueBoolean: raw === "true" }];
    if (item.type === "choice") {
      return [{ valueCoding: { system: "urn:cdss:v1:case-format", code: raw } }];
    }
    if (item.type === "integer") {
      const n = Number(raw);
      if (!Number.isInteger(n)) {
        errors.push({ field: item.linkId + suffix, description: "must be a whole number" });
        return [];
      }
      return [{ valueInteger: n }];
    }
    if (item.type === "decimal") return [{ valueDecimal: Number(raw) }];
    return [{ valueString: raw }];
  }
  function collect(items, errors, suffix) {
    const out = [];
    for (const item of items || []) {
      if (item.type === "group") {
        const count = item.repeats ? copies[item.linkId] || 0 : 1;
        for (let n = 0; n < count; n += 1) {
          const sub = collect(item.item, errors, item.repeats ? (n ? "#" + n : "") : suffix);
          if (sub.length) out.push({ linkId: item.linkId, item: sub });
        }
      } else {
        const answer = answersOf(item, errors, suffix);
        if (answer.length) out.push({ linkId: item.linkId, answer: answer });
      }
    }
    return out;
  }

  function clearErrors() {
    $("errors").hidden = true;
    $("errors").replaceChildren();
    for (const e of document.querySelectorAll(".field .error")) { e.hidden = true; e.textContent = ""; }
    for (const e of document.querySelectorAll("[aria-invalid]")) e.removeAttribute("aria-invalid");
  }
  function showErrors(message, violations) {
    const box = $("errors");
    box.replaceChildren(el("p", {}, message));
    const list = el("ul");
    for (const v of violations) {
      let link = String(v.field || "").replace(/^(case|request)\./, "");
      const copy = /^([^[]*)\[(\d+)\](.*)$/.exec(link);  // medications[1].name: its copy
      if (copy) link = copy[1] + copy[3] + (copy[2] === "0" ? "" : "#" + copy[2]);
      const err = document.getElementById("err-" + link);
      if (err) {
        err.textContent = v.description;
        err.hidden = false;
        const control = $(fieldId(link));
        if (control) control.setAttribute("aria-invalid", "true");
      }
      list.append(el("li", {}, (v.field ? v.field + ": " : "") + v.description));
    }
    box.append(list);
    box.hidden = false;
    $("answer").hidden = true;
  }

  function inline(parent, text) {  // **bold**, _italic_ and `code`, as text nodes only
    const parts = text.split(/(\*\*[^*]+\*\*|`[^`]+`|\b_[^_]+_\b)/);
    for (const p of parts) {
      if (/^\*\*.+\*\*$/.test(p)) parent.append(el("strong", {}, p.slice(2, -2)));
      else if (/^`.+`$/.test(p)) parent.append(el("code", {}, p.slice(1, -1)));
      else if (/^_.+_$/.test(p)) parent.append(el("em", {}, p.slice(1, -1)));
      else if (p) parent.append(document.createTextNode(p));
    }
  }
  let notes = new Set();  // the italic footer (the intended use) is shown once per answer
  function markdown(text) {  // the cards' detail: paragraphs, lists and tables
    const out = el("div", { class: "detail" });
    let list = null, table = null;
    for (const line of text.split("\n")) {
      if (/^\|[-| ]+\|$/.test(line)) continue;
      if (line.startsWith("|")) {
        const cells = line.slice(1, -1).split("|").map((c) => c.trim());
        if (!table) { table = el("table"); out.append(table); }
        const row = el("tr");
        for (const c of cells) { const td = el(table.rows.length ? "td" : "th"); inline(td, c); row.append(td); }
        table.append(row);
        continue;
      }
      table = null;
      if (line.startsWith("- ")) {
        if (!list) { list = el("ul"); out.append(list); }
        const li = el("li"); inline(li, line.slice(2)); list.append(li);
        continue;
      }
      list = null;
      if (/^_.+_$/.test(line)) { if (notes.has(line)) continue; notes.add(line); }
      if (line.trim()) { const p = el("p"); inline(p, line); out.append(p); }
    }
    return out;
  }
  function showCards(cards) {
    const body = $("answer-body");
    body.replaceChildren();
    notes = new Set();
    const topic = (c) => (c.source && c.source.topic && c.source.topic.code) || "";
    const section = (c) => (NON_ALERT[topic(c)] ? topic(c) : "alerts");
    for (const [key, title] of SECTIONS) {
      const mine = cards.filter((c) => section(c) === key);
      if (!mine.length) continue;
      const part = el("section", { class: "part", "data-part": key });
      part.append(el("h2", {}, title));
      for (const card of mine) {
        const art = el("article", { class: "card " + card.indicator, "data-indicator": card.indicator });
        const h = el("h3");
        if (key === "alerts") h.append(el("span", { class: "badge" }, LABEL[card.indicator] + ": "));
        h.append(document.createTextNode(card.summary));
        art.append(h, markdown(card.detail || ""));
        part.append(art);
      }
      body.append(part);
    }
    if (!cards.some((c) => section(c) === "alerts")) {
      body.prepend(el("p", { class: "no-alerts" }, "No red-flag alert from the recorded findings."));
    }
    $("answer").hidden = false;
    $("answer").scrollIntoView();
    $("answer-title").focus();
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  async function submit(questionnaire, event) {
    event.preventDefault();
    clearErrors();
    const errors = [];
    const items = collect(questionnaire.item, errors, "");
    if (errors.length) { showErrors("Some answers cannot be sent:", errors); return; }
    const response = { resourceType: "QuestionnaireResponse", status: "completed",
      questionnaire: questionnaire.url, subject: { reference: "Patient/web-form" }, item: items };
    const body = { hook: "patient-view", hookInstance: uuid(),
      context: { userId: "Practitioner/web-form", patientId: "web-form" },
      prefetch: { patient: { resourceType: "Patient", id: "web-form" }, footDropAssessment: response } };
    const headers = { "Content-Type": "application/json" };
    const token = $("token").value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    $("submit").disabled = true;
    try {
      const reply = await fetch(SERVICE, { method: "POST", headers: headers, body: JSON.stringify(body) });
      const data = await reply.json().catch(() => ({}));
      if (reply.ok) { showCards(data.cards || []); return; }
      const error = data.error || {};
      if (reply.status === 401 || reply.status === 403) $("access").hidden = false;
      const details = (error.details || []).flatMap((d) => d.fieldViolations || []);
      showErrors(error.message || `The service answered ${reply.status}.`, details);
    } catch (exc) {
      showErrors("The service could not be reached: " + exc.message, []);
    } finally {
      $("submit").disabled = false;
    }
  }

  async function start() {
    if (document.documentElement.dataset.tokenRequired === "true") $("access").hidden = false;
    try {
      const reply = await fetch("fhir/Questionnaire/foot-drop");
      if (!reply.ok) throw new Error(`HTTP ${reply.status}`);
      const questionnaire = await reply.json();
      render(questionnaire.item, $("items"), "");
      $("case-form").addEventListener("submit", (e) => submit(questionnaire, e));
      $("loading").remove();
      $("submit").disabled = false;
      document.body.dataset.ready = "true";
    } catch (exc) {
      $("loading").textContent = "The questionnaire could not be loaded: " + exc.message;
    }
  }
  start();
})();
