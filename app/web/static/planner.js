// influmix planner: a form over the public /v1 API. No framework and no build step; the DOM
// is built with createElement (never innerHTML), so roster text can never become markup.
(() => {
  'use strict';

  const KEY_STORAGE = 'influmix.apiKey';
  const LOCALE = navigator.language || 'en-US';
  const PLATFORM_NAMES = {
    instagram: 'Instagram', tiktok: 'TikTok', youtube: 'YouTube', x: 'X', twitch: 'Twitch',
    facebook: 'Facebook', linkedin: 'LinkedIn', other: 'Other',
  };

  const $ = (id) => document.getElementById(id);
  const state = { candidates: null, plan: null, request: null, busy: false };

  // --- small helpers ----------------------------------------------------------------------

  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name === 'dataset') Object.assign(el.dataset, value);
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);
  const platformName = (p) => PLATFORM_NAMES[p] || capitalize(p);

  // Figures are rounded for display only; the JSON sent and received is never rounded.
  // ``digits`` fixes the decimals (unit costs); otherwise cents show only below 1,000.
  function money(value, currency, digits) {
    if (value === null || value === undefined) return '–';
    const max = digits ?? (Math.abs(value) >= 1000 ? 0 : 2);
    try {
      return new Intl.NumberFormat(LOCALE, {
        style: 'currency', currency, minimumFractionDigits: digits ?? 0, maximumFractionDigits: max,
      }).format(value);
    } catch {
      return `${count(value)} ${currency}`;
    }
  }
  const count = (value) => new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 }).format(value);
  const decimal = (value, digits = 2) =>
    new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits }).format(value);
  const compact = (value) =>
    new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 }).format(value);
  function pct(share, digits = 1) {
    if (share === null || share === undefined) return '–';
    return new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: digits })
      .format(share);
  }
  const rate = (share) => pct(share, 2);

  class UiError extends Error {
    constructor(message, { field = null, items = [], requestId = null } = {}) {
      super(message);
      this.field = field;
      this.items = items;
      this.requestId = requestId;
    }
  }

  function announce(text) {
    // Cleared first so that the same words twice in a row are read again.
    const region = $('announce');
    region.textContent = '';
    window.setTimeout(() => { region.textContent = text; }, 50);
  }

  // --- the API ------------------------------------------------------------------------------

  async function api(path, options = {}) {
    const key = $('api-key').value.trim();
    if (!key) throw new UiError('Enter your API key first (top right).', { field: 'api-key' });
    const headers = new Headers(options.headers || {});
    headers.set('Authorization', `Bearer ${key}`);
    let response;
    try {
      response = await fetch(path, { ...options, headers });
    } catch {
      throw new UiError('The service could not be reached. Check that it is running, then try again.');
    }
    if (response.ok) return response;
    let problem = null;
    try { problem = await response.json(); } catch { problem = null; }
    throw problemError(response, problem);
  }

  function problemError(response, problem) {
    const requestId = response.headers.get('X-Request-ID');
    const detail = problem && problem.detail;
    switch (response.status) {
      case 401:
        return new UiError('The API key was not accepted: it is unknown or revoked.', { field: 'api-key' });
      case 403:
        return new UiError(`This key cannot do that: ${detail || 'its role is too low'}.`, { field: 'api-key' });
      case 413:
        return new UiError('The roster is larger than the service accepts. Split it into smaller files.');
      case 415:
        return new UiError(detail || 'That file is not a CSV or XLSX file.');
      case 429: {
        const wait = response.headers.get('Retry-After');
        return new UiError(`Too many requests just now. Try again${wait ? ` in ${wait} s` : ' shortly'}.`);
      }
      case 422: {
        const items = (problem && problem.errors) || [];
        return new UiError(detail || 'Some values are not valid.', { items });
      }
      default:
        return new UiError(
          `The service could not answer (${response.status}${detail ? `: ${detail}` : ''}).`,
          { requestId },
        );
    }
  }

  function showError(box, error) {
    box.replaceChildren();
    box.append(h('strong', { text: error.message }));
    if (error.items && error.items.length) {
      const shown = error.items.slice(0, 12);
      box.append(h('ul', null, shown.map((item) => h('li', { text: describeProblem(item) }))));
      if (error.items.length > shown.length) {
        box.append(h('p', { text: `… and ${error.items.length - shown.length} more.` }));
      }
    }
    if (error.requestId) box.append(h('p', { class: 'hint', text: `Request id ${error.requestId}` }));
    box.hidden = false;
  }

  function describeProblem(item) {
    if (item.row) return `Row ${item.row}${item.column ? `, ${item.column}` : ''}: ${item.message}`;
    const label = labelForLoc(item.loc);
    return `${label || item.field}: ${item.message}`;
  }

  // --- API key ------------------------------------------------------------------------------

  function setKeyStatus(text, kind) {
    const el = $('key-status');
    el.textContent = text;
    el.className = `key-status${kind ? ` ${kind}` : ''}`;
  }

  async function checkKey() {
    const key = $('api-key').value.trim();
    if (!key) { setKeyStatus('Kept in this browser tab only.', ''); return; }
    try {
      await api('/v1/plans?limit=1');
      setKeyStatus('Key accepted.', 'ok');
      $('api-key').removeAttribute('aria-invalid');
    } catch (error) {
      setKeyStatus(error.message, 'bad');
    }
  }

  function initKey() {
    const input = $('api-key');
    input.value = sessionStorage.getItem(KEY_STORAGE) || '';
    input.addEventListener('input', () => {
      const key = input.value.trim();
      if (key) sessionStorage.setItem(KEY_STORAGE, key);
      else sessionStorage.removeItem(KEY_STORAGE);
    });
    input.addEventListener('change', checkKey);
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      checkKey();
    });
    $('forget-key').addEventListener('click', () => {
      input.value = '';
      sessionStorage.removeItem(KEY_STORAGE);
      setKeyStatus('Key forgotten.', '');
      input.focus();
    });
    if (input.value) checkKey();
  }

  // --- roster ---------------------------------------------------------------------------------

  function tierRows() {
    return [...document.querySelectorAll('#tier-mix tbody tr')].map((row) => ({
      name: row.dataset.tier, min: Number(row.dataset.minFollowers),
    }));
  }

  function tierOf(followers) {
    let found = null;
    for (const tier of tierRows()) if (followers >= tier.min) found = tier.name;
    return found;
  }

  async function readRoster(file, source) {
    const status = $('roster-status');
    const errors = $('roster-errors');
    errors.hidden = true;
    status.textContent = `Reading ${source}…`;
    const body = new FormData();
    body.append('file', file, file.name);
    try {
      const response = await api('/v1/influencers/parse', { method: 'POST', body });
      const parsed = await response.json();
      state.candidates = parsed.candidates;
      renderRoster(parsed, source);
    } catch (error) {
      // A failed read keeps the roster read before, and says so.
      status.textContent = state.candidates
        ? `Still using the roster read before (${count(state.candidates.length)} creators).` : '';
      showError(errors, error);
      if (error.field) markField(error.field);
    }
  }

  function renderRoster(parsed, source) {
    const candidates = parsed.candidates;
    const platforms = new Map();
    const tiers = new Map();
    for (const c of candidates) {
      platforms.set(c.platform, (platforms.get(c.platform) || 0) + 1);
      const tier = tierOf(c.followers);
      tiers.set(tier, (tiers.get(tier) || 0) + 1);
    }
    const status = $('roster-status');
    status.replaceChildren(
      h('span', { class: 'ok', text: `${count(candidates.length)} creators read` }),
      ` from ${source}: `,
      [...platforms].map(([p, n]) => `${platformName(p)} ${n}`).join(' · '),
      '.',
    );
    if (parsed.notes.length) status.append(h('div', { class: 'hint', text: parsed.notes.join(' ') }));
    if (parsed.ignored_columns.length) {
      status.append(h('div', { class: 'hint', text: `Not used: ${parsed.ignored_columns.join(', ')}.` }));
    }
    for (const tier of tierRows()) {
      const n = tiers.get(tier.name) || 0;
      $(`tier-${tier.name}-count`).textContent = `· ${n}`;
    }
    renderPlatformMix(platforms);
    renderRosterTable(candidates);
  }

  function renderRosterTable(candidates) {
    const head = h('thead', null, h('tr', null,
      ['Handle', 'Platform', 'Tier', 'Followers', 'ER', 'Price', 'Fee', 'Posts'].map((label, i) =>
        h('th', { scope: 'col', class: i >= 3 ? 'num' : null, text: label }))));
    const body = h('tbody', null, candidates.map((c) => h('tr', null,
      h('td', { class: 'handle', text: c.handle }),
      h('td', { text: platformName(c.platform) }),
      h('td', { text: capitalize(tierOf(c.followers) || '') }),
      h('td', { class: 'num', text: count(c.followers) }),
      h('td', { class: 'num', text: c.engagement_rate === null ? 'prior' : rate(c.engagement_rate) }),
      h('td', { class: 'num', text: decimal(c.price_per_post) }),
      h('td', { class: 'num', text: c.fixed_fee ? decimal(c.fixed_fee) : '–' }),
      h('td', { class: 'num', text: c.min_posts === c.max_posts ? `${c.max_posts}` : `${c.min_posts}–${c.max_posts}` }),
    )));
    $('roster-table').replaceChildren(
      h('caption', { class: 'visually-hidden', text: 'Creators read from the roster' }), head, body);
    $('roster-preview-summary').textContent = `Show the ${count(candidates.length)} creators`;
    $('roster-preview').hidden = false;
  }

  function renderPlatformMix(platforms) {
    // Values typed before a new roster was read are kept for the platforms it still has.
    const kept = {};
    for (const input of document.querySelectorAll('#platform-rows input')) kept[input.id] = input.value;
    const rows = [...platforms].sort((a, b) => b[1] - a[1]).map(([p, n]) => {
      const name = platformName(p);
      const cell = (side, word) => h('td', null,
        h('label', { class: 'visually-hidden', for: `platform-${p}-${side}`, text: `${name} ${word} share (%)` }),
        h('input', {
          id: `platform-${p}-${side}`, type: 'number', min: 0, max: 100, step: 'any',
          inputmode: 'decimal', value: kept[`platform-${p}-${side}`] || null,
        }));
      return h('tr', { dataset: { platform: p } },
        h('th', { scope: 'row', text: name }),
        h('td', { class: 'muted', text: `${n}` }),
        cell('min', 'minimum'), cell('max', 'maximum'));
    });
    $('platform-rows').replaceChildren(...rows);
    $('platform-mix').hidden = rows.length === 0;
    $('platform-empty').hidden = rows.length > 0;
  }

  function initRoster() {
    $('read-paste').addEventListener('click', () => {
      const text = $('roster-text').value;
      if (!text.trim()) {
        showError($('roster-errors'), new UiError('Paste a roster first: a header row, then one creator per line.'));
        $('roster-text').focus();
        return;
      }
      readRoster(new File([text], 'pasted-roster.csv', { type: 'text/csv' }), 'the pasted text');
    });
    $('roster-file').addEventListener('change', (event) => {
      const file = event.target.files[0];
      if (file) readRoster(file, file.name);
    });
  }

  // --- the request ------------------------------------------------------------------------

  function labelText(id) {
    const label = document.querySelector(`label[for="${id}"]`);
    return label ? label.textContent.replace(/\s+/g, ' ').trim() : id;
  }

  function readNumber(id, { percent = false, integer = false } = {}) {
    const input = $(id);
    const raw = input.value.trim();
    if (raw === '') {
      // A number input whose text is not a number reports an empty value.
      if (input.validity && input.validity.badInput) {
        throw new UiError(`${labelText(id)}: enter a number.`, { field: id });
      }
      return null;
    }
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new UiError(`${labelText(id)}: enter a number.`, { field: id });
    if (percent && (value < 0 || value > 100)) {
      throw new UiError(`${labelText(id)}: enter a percentage between 0 and 100.`, { field: id });
    }
    if (integer && (!Number.isInteger(value) || value < 0)) {
      throw new UiError(`${labelText(id)}: enter a whole number.`, { field: id });
    }
    return percent ? value / 100 : value;
  }

  function shareBounds(prefix, names) {
    const out = {};
    for (const name of names) {
      const min = readNumber(`${prefix}-${name}-min`, { percent: true });
      const max = readNumber(`${prefix}-${name}-max`, { percent: true });
      if (min !== null && max !== null && min > max) {
        throw new UiError(`${labelText(`${prefix}-${name}-min`)} is above the maximum.`,
          { field: `${prefix}-${name}-min` });
      }
      const bounds = {};
      if (min !== null) bounds.min = min;
      if (max !== null) bounds.max = max;
      if (Object.keys(bounds).length) out[name] = bounds;
    }
    return Object.keys(out).length ? out : null;
  }

  function buildRequest() {
    if (!state.candidates) {
      throw new UiError('Read a roster first (step 1).', { field: 'roster-text' });
    }
    const budget = readNumber('budget');
    if (budget === null || budget <= 0) {
      throw new UiError('Budget: enter an amount above 0.', { field: 'budget' });
    }
    const constraints = {
      // Empty cap field: null, which the API reads as "no cap" (absent would mean 25%).
      max_share_per_influencer: readNumber('cap', { percent: true }),
      min_budget_use: readNumber('min-use', { percent: true }) ?? 0,
      max_influencers: readNumber('max-creators', { integer: true }),
    };
    const minCreators = readNumber('min-creators', { integer: true });
    if (minCreators !== null) constraints.min_influencers = minCreators;
    const tiers = shareBounds('tier', tierRows().map((t) => t.name));
    if (tiers) constraints.tier_share = tiers;
    const platformNames = [...document.querySelectorAll('#platform-rows tr')].map((r) => r.dataset.platform);
    const platforms = shareBounds('platform', platformNames);
    if (platforms) constraints.platform_share = platforms;
    const request = {
      budget,
      currency: $('currency').value,
      candidates: state.candidates,
      constraints,
      objective: { kind: $('objective').value },
    };
    addRisk(request);
    const name = $('plan-name').value.trim();
    if (name) request.name = name;
    return request;
  }

  // Engagement scenarios: asked for by the checkbox, a CVaR floor or the CVaR objective.
  function addRisk(request) {
    const floor = readNumber('cvar-floor');
    if (floor !== null && floor < 0) {
      throw new UiError(`${labelText('cvar-floor')}: enter 0 or more engagements.`, { field: 'cvar-floor' });
    }
    const alpha = readNumber('risk-alpha', { percent: true });
    if (alpha === 0) {
      throw new UiError(`${labelText('risk-alpha')}: enter a share above 0%.`, { field: 'risk-alpha' });
    }
    const cvarObjective = request.objective.kind === 'cvar_engagement';
    if (cvarObjective) {
      const aversion = readNumber('risk-aversion');
      if (aversion !== null && (aversion < 0 || aversion > 1)) {
        throw new UiError(`${labelText('risk-aversion')}: enter a number from 0 to 1.`, { field: 'risk-aversion' });
      }
      if (aversion !== null) request.objective.risk_aversion = aversion;
    }
    if (floor !== null) request.constraints.min_cvar_engagement = floor;
    if ($('risk-scenarios').checked || floor !== null || cvarObjective) {
      request.options = { risk: alpha === null ? {} : { alpha } };
    }
  }

  // Where a field named in a 422 lives on the form.
  function fieldForLoc(loc) {
    if (!Array.isArray(loc)) return null;
    const path = loc[0] === 'body' ? loc.slice(1) : loc;
    const [block, name, key, side] = path;
    if (block === 'budget') return 'budget';
    if (block === 'currency') return 'currency';
    if (block === 'name') return 'plan-name';
    if (block === 'candidates') return 'roster-text';
    if (block === 'objective' && name === 'risk_aversion') return 'risk-aversion';
    if (block === 'options' && name === 'risk' && key === 'alpha') return 'risk-alpha';
    if (block !== 'constraints') return null;
    const simple = {
      max_share_per_influencer: 'cap', min_budget_use: 'min-use',
      min_influencers: 'min-creators', max_influencers: 'max-creators',
      min_cvar_engagement: 'cvar-floor',
    };
    if (simple[name]) return simple[name];
    if (name === 'tier_share' && key) return `tier-${key}-${side === 'max' ? 'max' : 'min'}`;
    if (name === 'platform_share' && key) return `platform-${key}-${side === 'max' ? 'max' : 'min'}`;
    return null;
  }

  function labelForLoc(loc) {
    const id = fieldForLoc(loc);
    return id && $(id) ? labelText(id) : null;
  }

  function clearFieldErrors() {
    for (const el of document.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
    $('form-errors').hidden = true;
  }

  function markField(id) {
    const el = $(id);
    if (!el) return null;
    el.setAttribute('aria-invalid', 'true');
    return el;
  }

  function showFormError(error) {
    showError($('form-errors'), error);
    const ids = [error.field, ...error.items.map((item) => fieldForLoc(item.loc))].filter(Boolean);
    const marked = ids.map(markField).filter(Boolean);
    if (marked.length) marked[0].focus();
  }

  // --- solving ----------------------------------------------------------------------------

  function setBusy(busy) {
    state.busy = busy;
    const button = $('solve');
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    button.setAttribute('aria-disabled', busy ? 'true' : 'false');
    button.textContent = busy ? 'Solving…' : 'Solve plan';
    $('results').setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  // The plan appears above the fold of a laptop and below the form on a phone, while the window
  // stays where the planner clicked: bring its heading into view and give it the focus.
  function showResults() {
    const heading = $('results-title');
    heading.scrollIntoView({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  async function solve() {
    if (state.busy) return;
    clearFieldErrors();
    let request;
    try {
      request = buildRequest();
    } catch (error) {
      showFormError(error);
      announce(error.message);
      return;
    }
    setBusy(true);
    announce('Solving the plan…');
    try {
      const response = await api('/v1/plans', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(request),
      });
      const plan = await response.json();
      state.plan = plan;
      state.request = request;
      renderPlan(plan);
      announce(planSummary(plan));
      showResults();
    } catch (error) {
      showFormError(error);
      announce(`The plan could not be solved. ${error.message}`);
    } finally {
      setBusy(false);
    }
  }

  function planSummary(plan) {
    const cur = plan.currency;
    if (plan.status === 'optimal' || plan.status === 'feasible') {
      const t = plan.totals;
      return `Plan solved: ${t.influencers} creators, spend ${money(t.spend, cur)} of ${money(plan.budget, cur)}, `
        + `expected engagement ${count(t.expected_engagement)}.`;
    }
    if (plan.status === 'infeasible') {
      const n = plan.diagnostics.relaxation.length;
      return `No plan meets these constraints. ${n} change${n === 1 ? '' : 's'} would make one possible.`;
    }
    return `The solver found no plan (${plan.status}).`;
  }

  // --- results ------------------------------------------------------------------------------

  function renderPlan(plan) {
    const body = $('result-body');
    if (plan.status === 'optimal' || plan.status === 'feasible') body.replaceChildren(...feasibleView(plan));
    else if (plan.status === 'infeasible') body.replaceChildren(...infeasibleView(plan));
    else body.replaceChildren(...failedView(plan));
    body.dataset.status = plan.status;
    body.dataset.planId = plan.id;
  }

  function planMeta(plan) {
    const when = new Date(plan.created_at).toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
    const solver = plan.solver ? ` · solved in ${decimal(plan.solver.wall_time_s, 2)} s` : '';
    return `${plan.name ? `${plan.name} · ` : ''}stored ${when}${solver} · id ${plan.id}`;
  }

  function downloads() {
    const button = (fmt, label) => h('button', {
      type: 'button', class: 'button small', id: `download-${fmt}`,
      onclick: (event) => download(fmt, event.currentTarget),
    }, label);
    return h('div', { class: 'downloads' }, button('csv', 'Download CSV'), button('xlsx', 'Download XLSX'));
  }

  function feasibleView(plan) {
    const cur = plan.currency;
    const t = plan.totals;
    const optimal = plan.status === 'optimal';
    const banner = h('div', { class: `banner ${optimal ? 'ok' : 'warn'}` },
      h('div', null,
        h('div', { class: 'banner-title', id: 'plan-status' },
          optimal ? 'Optimal plan' : 'Good plan, not proven best'),
        h('div', { class: 'banner-meta' },
          optimal ? planMeta(plan)
            : `The time limit was reached; the best possible is at most ${pct(plan.solver.gap, 2)} better. ${planMeta(plan)}`)),
      downloads());
    const used = plan.budget > 0 ? t.spend / plan.budget : 0;
    const kpi = (label, value, sub, id, raw) => h('div', { class: 'kpi' },
      h('div', { class: 'kpi-label', text: label }),
      h('div', { class: 'kpi-value', id, title: value, dataset: { value: raw } }, value),
      h('div', { class: 'kpi-sub', text: sub || '\u00a0' }));
    const kpis = h('div', { class: 'kpis', role: 'group', 'aria-label': 'Totals' },
      kpi('Spend', money(t.spend, cur), `${pct(used)} of ${money(plan.budget, cur)}`, 'total-spend', t.spend),
      kpi('Budget left', money(t.budget_left, cur), null, 'total-left', t.budget_left),
      kpi('Engagement', count(t.expected_engagement), 'expected', 'total-engagement', t.expected_engagement),
      kpi('Reach', compact(t.reach), `${count(t.reach)} people`, 'total-reach', t.reach),
      hasOverlaps(plan)
        ? kpi('Unique reach', compact(t.unique_reach), `${compact(t.overlapping_audience)} overlap`,
          'total-unique-reach', t.unique_reach)
        : null,
      kpi('Creators', count(t.influencers), `${sumPosts(plan)} posts`, 'total-creators', t.influencers),
      kpi('Cost / engagement', t.cost_per_engagement === null ? '–' : money(t.cost_per_engagement, cur, 3),
        null, 'total-cpe', t.cost_per_engagement ?? ''));
    const con = (state.request && state.request.constraints) || {};
    const panels = h('div', { class: 'panels' },
      mixChart('Spend by tier', 'tier-chart', plan.by_tier, con.tier_share, capitalize, cur, true),
      mixChart('Spend by platform', 'platform-chart', plan.by_platform, con.platform_share, platformName, cur, false),
      riskPanel(plan, con));
    const out = [banner, kpis, panels, scenarioSection(plan), limitsSection(plan, con)].filter(Boolean);
    if (hasOverlaps(plan)) out.push(overlapSection(plan));
    out.push(allocationTable(plan, con));
    const notes = notesSection(plan);
    if (notes) out.push(notes);
    return out;
  }

  const sumPosts = (plan) => plan.allocations.reduce((n, a) => n + a.posts, 0);

  // Unique reach is answered whenever the request gave audience overlaps.
  const hasOverlaps = (plan) => plan.totals.unique_reach !== null && plan.totals.unique_reach !== undefined;
  const OVERLAP_ROWS = 10;

  function overlapSection(plan) {
    const t = plan.totals;
    const pairs = plan.diagnostics.overlapping_pairs;
    const handles = Object.fromEntries(plan.allocations.map((a) => [a.id, a.handle]));
    const shown = pairs.slice(0, OVERLAP_ROWS);
    const ofReach = t.reach > 0 ? ` (${pct(t.overlapping_audience / t.reach)})` : '';
    const table = h('table', { class: 'data compact', id: 'overlap-pairs' },
      h('caption', { text: pairs.length > shown.length
        ? `The ${shown.length} largest of ${pairs.length} overlapping pairs` : 'Overlapping pairs, largest first' }),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col', text: 'Creators' }),
        h('th', { scope: 'col', class: 'num', text: 'Share of the smaller audience' }),
        h('th', { scope: 'col', class: 'num', text: 'Shared audience' }))),
      h('tbody', null, shown.map((p) => h('tr', { dataset: { a: p.a, b: p.b } },
        h('th', { scope: 'row', text: [handles[p.a] || p.a, handles[p.b] || p.b].sort().join(' & ') }),
        h('td', { class: 'num', dataset: { value: p.share }, text: pct(p.share) }),
        h('td', { class: 'num', dataset: { value: p.shared_audience }, text: count(p.shared_audience) })))));
    return h('section', { class: 'section', id: 'overlaps', 'aria-labelledby': 'overlaps-title' },
      h('h3', { id: 'overlaps-title', text: 'Shared audiences' }),
      h('p', { class: 'hint', id: 'overlap-summary', text: pairs.length
        ? `${count(t.overlapping_audience)} people of the reach${ofReach} follow two creators of the plan; `
          + `unique reach counts them once: ${count(t.unique_reach)}.`
        : 'No two creators of this plan share audience: unique reach is the whole reach.' }),
      pairs.length ? table : null);
  }

  function mixChart(title, id, groups, bounds, nameOf, cur, keepEmpty) {
    bounds = bounds || {};
    // Tiers keep their fixed order (and show empty ones); platforms go largest first.
    let entries = Object.entries(groups || {});
    if (!keepEmpty) entries = entries.filter(([, g]) => g.influencers > 0).sort((a, b) => b[1].spend - a[1].spend);
    const items = entries.map(([name, g]) => {
      const b = bounds[name] || {};
      const hasBand = b.min !== undefined || b.max !== undefined;
      const low = b.min ?? 0;
      const high = b.max ?? 1;
      const band = hasBand ? h('span', { class: 'bar-band' }) : null;
      if (band) { band.style.left = `${low * 100}%`; band.style.width = `${(high - low) * 100}%`; }
      const fill = h('span', { class: 'bar-fill' });
      fill.style.width = `${Math.max(0, Math.min(1, g.share)) * 100}%`;
      const allowed = hasBand ? `; allowed ${pct(low)} to ${pct(high)}` : '';
      return h('li', { dataset: { group: name, share: g.share } },
        h('span', { class: 'bar-label', text: nameOf(name) }),
        h('span', { class: 'bar-track', 'aria-hidden': 'true' }, band, fill),
        h('span', { class: 'bar-value', text: pct(g.share) }),
        h('span', { class: 'bar-sub' },
          `${money(g.spend, cur)} · ${g.influencers} creator${g.influencers === 1 ? '' : 's'} · ${count(g.engagement)} eng.`,
          h('span', { class: 'visually-hidden', text: allowed })));
    });
    const hasBounds = Object.keys(bounds).length > 0;
    return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` },
      h('h3', { id: `${id}-title`, text: title }),
      h('ul', { class: 'bars' }, items),
      h('div', { class: 'legend', 'aria-hidden': 'true' },
        h('span', null, h('span', { class: 'swatch fill' }), 'share of spend'),
        hasBounds ? h('span', null, h('span', { class: 'swatch band' }), 'allowed by your mix') : null));
  }

  function riskPanel(plan, con) {
    const r = plan.risk;
    const cap = con.max_share_per_influencer;
    const row = (label, value, id, raw) => [h('dt', { text: label }), h('dd', { id, dataset: { value: raw } }, value)];
    return h('section', { class: 'panel', id: 'risk', 'aria-labelledby': 'risk-title' },
      h('h3', { id: 'risk-title', text: 'Concentration risk' }),
      h('dl', { class: 'risk-list' },
        row('Largest creator share', pct(r.max_share), 'risk-max-share', r.max_share),
        row('Share cap', cap === null || cap === undefined ? 'none' : pct(cap, 2), 'risk-cap', cap ?? ''),
        row('HHI (0–1, lower is more spread)', decimal(r.hhi, 3), 'risk-hhi', r.hhi),
        row('Effective creators', decimal(r.effective_influencers, 1), 'risk-effective', r.effective_influencers)),
      h('p', { class: 'panel-note', text:
        `Spend is as spread out as ${decimal(r.effective_influencers, 1)} creators with equal budgets.` }));
  }

  // --- engagement over the scenarios -----------------------------------------------------

  function scenarioSection(plan) {
    const r = plan.risk;
    if (!r || r.alpha === null || r.engagement_cvar === null) return null;
    const q = r.engagement_quantiles;
    const tail = `worst ${pct(r.alpha, 1)}`;
    const row = (label, value, id, raw) => [h('dt', { text: label }), h('dd', { id, dataset: { value: raw } }, value)];
    const rows = [
      row(`CVaR (mean of the ${tail})`, count(r.engagement_cvar), 'risk-cvar', r.engagement_cvar),
      row('p05 (1 scenario in 20 below)', count(q.p05), 'risk-p05', q.p05),
      row('p50 (median)', count(q.p50), 'risk-p50', q.p50),
      row('p95', count(q.p95), 'risk-p95', q.p95),
    ];
    const fresh = r.out_of_sample;
    if (fresh) {
      rows.push(row(`Fresh scenarios: CVaR (seed ${fresh.seed})`, count(fresh.engagement_cvar),
        'risk-oos-cvar', fresh.engagement_cvar));
      rows.push(row('Fresh scenarios: p05 / p50 / p95',
        `${count(fresh.engagement_quantiles.p05)} / ${count(fresh.engagement_quantiles.p50)} / ${count(fresh.engagement_quantiles.p95)}`,
        'risk-oos-quantiles', fresh.engagement_quantiles.p05));
    }
    const expected = plan.totals.expected_engagement;
    const note = `Engagement is a forecast: over ${count(r.scenarios)} scenarios the ${tail} average `
      + `${count(r.engagement_cvar)}, ${pct(expected > 0 ? r.engagement_cvar / expected : 0)} of the `
      + `expected ${count(expected)}.`
      + (fresh ? ' Fresh scenarios the plan was not fitted to show how far that holds.' : '');
    return h('section', { class: 'panel scenario-panel', id: 'scenario-risk', 'aria-labelledby': 'scenario-title' },
      h('h3', { id: 'scenario-title', text: `Engagement over ${count(r.scenarios)} scenarios` }),
      h('div', { class: 'scenario-body' },
        r.engagement_histogram ? histogramSvg(r, expected) : null,
        h('dl', { class: 'risk-list' }, ...rows)),
      h('p', { class: 'panel-note', text: note }));
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs, text) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) el.setAttribute(name, String(value));
    if (text !== undefined) el.textContent = text;
    return el;
  }

  // The plan's engagement over the scenarios as bars, the p05 and CVaR marked by lines.
  function histogramSvg(r, expected) {
    const { edges, counts } = r.engagement_histogram;
    const W = 440, H = 170, left = 8, right = 8, top = 30, bottom = 30;
    const low = edges[0], high = edges[edges.length - 1];
    const span = high - low || 1;
    const x = (value) => left + ((value - low) / span) * (W - left - right);
    const tallest = Math.max(...counts, 1);
    const y = (n) => H - bottom - (n / tallest) * (H - top - bottom);
    const label = `Histogram of the plan's engagement over ${count(r.scenarios)} scenarios, `
      + `from ${count(low)} to ${count(high)}; p05 ${count(r.engagement_quantiles.p05)}, `
      + `CVaR ${count(r.engagement_cvar)}.`;
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'histogram', role: 'img', 'aria-label': label });
    counts.forEach((n, k) => {
      const x0 = x(edges[k]), x1 = x(edges[k + 1]);
      const bar = svg('rect', { class: 'hist-bar', x: x0 + 0.5, y: y(n), width: Math.max(0.5, x1 - x0 - 1), height: H - bottom - y(n) });
      bar.append(svg('title', null, `${count(edges[k])}–${count(edges[k + 1])}: ${n} scenario${n === 1 ? '' : 's'}`));
      root.append(bar);
    });
    root.append(svg('line', { class: 'hist-axis', x1: left, x2: W - right, y1: H - bottom, y2: H - bottom }));
    // CVaR <= p05 <= (usually) the expectation: the CVaR's label goes left of its line, the
    // others right of theirs, p05 a row lower, so close lines keep their labels apart.
    const marks = [
      ['hist-cvar', r.engagement_cvar, `CVaR ${compact(r.engagement_cvar)}`, 12, 'end'],
      ['hist-p05', r.engagement_quantiles.p05, `p05 ${compact(r.engagement_quantiles.p05)}`, 25, 'start'],
      ['hist-mean', expected, `expected ${compact(expected)}`, 12, 'start'],
    ];
    for (const [cls, value, text, ty, side] of marks) {
      const mx = Math.min(W - right, Math.max(left, x(value)));
      root.append(svg('line', { class: cls, x1: mx, x2: mx, y1: ty - 8, y2: H - bottom }));
      // Near an edge the label turns inwards.
      const anchor = mx < 70 ? 'start' : (mx > W - 90 ? 'end' : side);
      const tx = mx + (anchor === 'start' ? 3 : -3);
      root.append(svg('text', { class: `hist-label ${cls}-label`, x: tx, y: ty, 'text-anchor': anchor }, text));
    }
    root.append(svg('text', { class: 'hist-tick', x: left, y: H - 10, 'text-anchor': 'start' }, count(low)));
    root.append(svg('text', { class: 'hist-tick', x: W - right, y: H - 10, 'text-anchor': 'end' }, count(high)));
    root.append(svg('text', { class: 'hist-tick', x: W / 2, y: H - 10, 'text-anchor': 'middle' }, 'engagement per scenario'));
    return h('div', { class: 'histogram-wrap', id: 'risk-histogram' }, root);
  }

  function limitsSection(plan, con) {
    const words = bindingWords(plan, con);
    const levers = plan.diagnostics.levers || [];
    return h('section', { class: 'section', id: 'limits', 'aria-labelledby': 'limits-title' },
      h('h3', { id: 'limits-title', text: 'What limits this plan' }),
      levers.length ? leverList(levers) : null,
      words.length
        ? h('ul', { class: 'limits' }, words.map((w) => h('li', { text: w })))
        : h('p', { class: 'hint', text: 'No constraint binds: the plan is limited only by the roster itself.' }));
  }

  // Levers come best first: each limit loosened one step and re-solved, with what it gained.
  function leverList(levers) {
    const top = Math.max(...levers.map((l) => l.gain || 0), 1e-9);
    const item = (l) => {
      const fill = h('span', { class: 'mini-fill' });
      fill.style.width = `${Math.min(1, (l.gain || 0) / top) * 100}%`;
      return h('li', { class: `lever lever-${l.status}`, dataset: { kind: l.kind } },
        h('span', { class: 'mini-track', 'aria-hidden': 'true' }, fill),
        h('span', { class: 'lever-text', text: l.message }));
    };
    return h('div', { id: 'levers' },
      h('p', { class: 'panel-note', text: 'What loosening pays: each limit moved one step and re-solved, best gain first.' }),
      h('ol', { class: 'levers' }, levers.map(item)));
  }

  // Caps that bind on named creators read better as one line per cap than one per creator.
  const PER_CREATOR = ['max_share_per_influencer', 'max_spend_per_influencer',
    'max_engagement_share_per_influencer', 'max_posts'];

  function bindingWords(plan, con) {
    const handles = Object.fromEntries(plan.allocations.map((a) => [a.id, a.handle]));
    const perCreator = Object.fromEntries(PER_CREATOR.map((kind) => [kind, []]));
    const out = [];
    const list = (ids) => {
      const names = ids.map((id) => handles[id] || id);
      return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
    };
    for (const b of plan.diagnostics.binding) {
      if (b.kind in perCreator && b.subject !== null) perCreator[b.kind].push(b.subject);
      else out.push(b.message);
    }
    const share = perCreator.max_share_per_influencer;
    if (share.length) {
      out.push(`${share.length} creator${share.length === 1 ? ' is' : 's are'} at the share cap `
        + `(${pct(con.max_share_per_influencer)} of spend): ${list(share)}.`);
    }
    const spend = perCreator.max_spend_per_influencer;
    if (spend.length) out.push(`At the spend limit per creator: ${list(spend)}.`);
    const engagement = perCreator.max_engagement_share_per_influencer;
    if (engagement.length) out.push(`At the engagement share limit per creator: ${list(engagement)}.`);
    const posts = perCreator.max_posts;
    if (posts.length) {
      out.push(`${posts.length} creator${posts.length === 1 ? ' is' : 's are'} booked for every post `
        + `they offer (more would be bought): ${list(posts)}.`);
    }
    return out;
  }

  function allocationTable(plan, con) {
    const cur = plan.currency;
    const cap = con.max_share_per_influencer;
    const rows = [...plan.allocations].sort((a, b) => b.spend - a.spend);
    const columns = [
      ['Creator', false], ['Platform', false], ['Tier', false], ['Posts', true], ['Spend', true],
      ['Expected engagement', true], ['Share of spend', true], ['Share of engagement', true],
      ['Engagement rate', true], ['Cost per engagement', true],
    ];
    // Mini bars run up to the cap (or, without one, up to the largest share).
    const scale = cap ?? Math.max(...rows.map((a) => a.share_of_spend), 1e-9);
    const head = h('thead', null, h('tr', null,
      columns.map(([label, num]) => h('th', { scope: 'col', class: num ? 'num' : null, text: label }))));
    const shareCell = (share) => {
      const atCap = cap !== null && cap !== undefined && share >= cap - 1e-9;
      const fill = h('span', { class: `mini-fill${atCap ? ' at-cap' : ''}` });
      fill.style.width = `${Math.min(1, share / scale) * 100}%`;
      const track = h('span', { class: 'mini-track', 'aria-hidden': 'true' }, fill);
      return h('span', { class: 'share-cell', title: atCap ? 'At the share cap' : null },
        track, h('span', { class: 'share-text', text: pct(share) }));
    };
    const body = h('tbody', null, rows.map((a) => h('tr', { dataset: { id: a.id } },
      h('th', { scope: 'row', class: 'handle', dataset: { field: 'handle' }, text: a.handle }),
      h('td', { dataset: { field: 'platform', value: a.platform }, text: platformName(a.platform) }),
      h('td', { dataset: { field: 'tier', value: a.tier }, text: capitalize(a.tier) }),
      h('td', { class: 'num', dataset: { field: 'posts', value: a.posts }, text: count(a.posts) }),
      h('td', { class: 'num', dataset: { field: 'spend', value: a.spend }, text: money(a.spend, cur) }),
      h('td', { class: 'num', dataset: { field: 'expected_engagement', value: a.expected_engagement },
        text: count(a.expected_engagement) }),
      h('td', { class: 'num', dataset: { field: 'share_of_spend', value: a.share_of_spend } }, shareCell(a.share_of_spend)),
      h('td', { class: 'num', dataset: { field: 'share_of_engagement', value: a.share_of_engagement },
        text: pct(a.share_of_engagement) }),
      h('td', { class: 'num', dataset: { field: 'engagement_rate_used', value: a.engagement_rate_used } },
        rate(a.engagement_rate_used),
        a.engagement_rate_source === 'tier_prior'
          ? h('span', { class: 'prior', title: 'No rate in the roster: the tier prior was used' }, 'prior') : null),
      h('td', { class: 'num', dataset: { field: 'cost_per_engagement', value: a.cost_per_engagement ?? '' },
        text: a.cost_per_engagement === null ? '–' : money(a.cost_per_engagement, cur, 3) }),
    )));
    const t = plan.totals;
    const foot = h('tfoot', null, h('tr', null,
      h('th', { scope: 'row', text: 'Total' }), h('td'), h('td'),
      h('td', { class: 'num', text: count(sumPosts(plan)) }),
      h('td', { class: 'num', text: money(t.spend, cur) }),
      h('td', { class: 'num', text: count(t.expected_engagement) }),
      h('td', { class: 'num', text: pct(1) }), h('td', { class: 'num', text: pct(1) }), h('td'),
      h('td', { class: 'num', text: t.cost_per_engagement === null ? '–' : money(t.cost_per_engagement, cur, 3) })));
    return h('section', { class: 'section', 'aria-labelledby': 'allocations-caption' },
      h('div', { class: 'table-scroll' },
        h('table', { class: 'data', id: 'allocations' },
          h('caption', { id: 'allocations-caption' },
            `Allocation: ${rows.length} creator${rows.length === 1 ? '' : 's'}, largest spend first`),
          head, body, foot)));
  }

  function notesSection(plan) {
    const d = plan.diagnostics;
    const lines = [
      ...d.notes,
      ...d.excluded.map((e) => `${e.id} left out: ${e.reason}`),
    ];
    if (!lines.length) return null;
    return h('section', { class: 'section', id: 'notes', 'aria-labelledby': 'notes-title' },
      h('h3', { id: 'notes-title', text: 'Notes' }),
      h('ul', { class: 'notes' }, lines.map((line) => h('li', { text: line }))));
  }

  // --- infeasible requests ---------------------------------------------------------------------

  // Share fields hold percentages with two decimals; a relaxed value is rounded in the
  // direction that relaxes (up for a maximum, down for a minimum), so it still admits a plan.
  const pctUp = (share) => Math.ceil(share * 10000) / 100;
  const pctDown = (share) => Math.floor(share * 10000) / 100;

  // The form's field for each share bound of the mix.
  const MIX = {
    tier_min: ['tier', 'min'], tier_max: ['tier', 'max'],
    platform_min: ['platform', 'min'], platform_max: ['platform', 'max'],
  };

  function relaxationAction(r, cur) {
    const kind = r.kind;
    const key = r.subject ?? '';
    const from = r.current;
    const to = r.required;
    switch (kind) {
      case 'budget':
        return { field: 'budget', value: Math.ceil(to),
          text: `Raise the budget from ${money(from, cur)} to ${money(Math.ceil(to), cur)} (short by ${money(to - from, cur)}).` };
      case 'max_share_per_influencer':
        return { field: 'cap', value: pctUp(to),
          text: `Let one creator take up to ${pctUp(to)}% of spend (the cap is ${pct(from, 2)}).` };
      case 'min_budget_use':
        return { field: 'min-use', value: pctDown(to),
          text: `Lower the minimum spend from ${pct(from, 2)} to ${pctDown(to)}% of the budget.` };
      case 'min_influencers':
        return { field: 'min-creators', value: Math.floor(to),
          text: `Accept as few as ${Math.floor(to)} creators (the minimum is ${from}).` };
      case 'max_influencers':
        return { field: 'max-creators', value: Math.ceil(to),
          text: `Allow up to ${Math.ceil(to)} creators (the maximum is ${from}).` };
      case 'min_cvar_engagement':
        return { field: 'cvar-floor', value: Math.floor(to),
          text: `Lower the CVaR floor from ${count(from)} to ${count(Math.floor(to))} engagements.` };
      case 'tier_min': case 'tier_max': case 'platform_min': case 'platform_max': {
        const [group, side] = MIX[kind];
        const label = group === 'tier' ? `${capitalize(key)} tier` : platformName(key);
        const value = side === 'min' ? pctDown(to) : pctUp(to);
        return { field: `${group}-${key}-${side}`, value,
          text: side === 'min'
            ? `Lower the ${label} minimum share from ${pct(from, 2)} to ${value}%.`
            : `Raise the ${label} maximum share from ${pct(from, 2)} to ${value}%.` };
      }
      default:
        // A constraint the form does not set (it came from elsewhere): the API's words only.
        return { field: null, value: null, text: r.message };
    }
  }

  function applyRelaxations(actions) {
    const applied = [];
    for (const action of actions) {
      const input = action.field && $(action.field);
      if (!input) continue;
      input.value = String(action.value);
      input.classList.add('changed');
      applied.push(`${labelText(action.field)} ${action.value}`);
    }
    announce(`Applied: ${applied.join('; ')}. Solving again…`);
    solve();
  }

  const ROLE_WORDS = { alternative: 'Enough on its own', together: 'Needed with the others marked so' };

  function relaxIntro(list) {
    const alone = list.filter((r) => r.role === 'alternative').length;
    if (list.length === 1) return 'This change is the smallest that admits a plan.';
    if (alone === list.length) return 'Any one of these changes admits a plan; each is as small as it can be.';
    if (alone) return 'Make the changes needed together, or any one that is enough on its own; each is as small as it can be.';
    return 'Together, these changes admit a plan; each is as small as it can be.';
  }

  function infeasibleView(plan) {
    const cur = plan.currency;
    const d = plan.diagnostics;
    const actions = d.relaxation.map((r) => relaxationAction(r, cur));
    const banner = h('div', { class: 'banner bad' },
      h('div', null,
        h('div', { class: 'banner-title', id: 'plan-status', text: 'No plan meets these constraints' }),
        h('div', { class: 'banner-meta', text: planMeta(plan) })));
    const items = d.relaxation.map((r, i) => {
      const action = actions[i];
      const textId = `relax-${i}-text`;
      return h('li', { class: 'relaxation', dataset: { constraint: r.constraint, role: r.role ?? '' } },
        r.role ? h('span', { class: `relax-role ${r.role}`, text: ROLE_WORDS[r.role] }) : null,
        h('div', { class: 'relax-text', id: textId, text: action.text }),
        r.cause ? h('div', { class: 'relax-cause', text: `Why: ${r.cause}.` }) : null,
        h('div', { class: 'relax-detail', text: `Solver: ${r.message}` }),
        action.field && $(action.field)
          ? h('button', {
            type: 'button', class: 'button primary', id: `relax-${i}`, 'aria-describedby': textId,
            onclick: () => applyRelaxations([action]),
          }, 'Apply and solve again')
          : null);
    });
    // Only the changes needed together are applied together; an alternative is applied alone.
    const usable = actions.filter((a, i) => a.field && $(a.field)
      && d.relaxation[i].role !== 'alternative');
    const out = [
      banner,
      h('section', { class: 'section', id: 'relaxation', 'aria-labelledby': 'relax-title' },
        h('h3', { id: 'relax-title', text: 'What would make a plan possible' }),
        askedSummary(plan),
        h('p', { class: 'relax-intro hint', text: relaxIntro(d.relaxation) }),
        d.relaxation.length
          ? h('ul', { class: 'relaxations' }, items)
          : h('p', { text: 'The solver found no single change to suggest. Loosen the mix or the caps, or add creators.' }),
        usable.length > 1
          ? h('button', { type: 'button', class: 'button', id: 'relax-all',
            onclick: () => applyRelaxations(usable) }, `Apply all ${usable.length} changes and solve again`)
          : null),
    ];
    const notes = notesSection(plan);
    if (notes) out.push(notes);
    return out;
  }

  // The limits the request set, so the suggested change reads against them.
  function askedSummary(plan) {
    const req = state.request;
    if (!req) return null;
    const con = req.constraints;
    const cur = plan.currency;
    const parts = [`${count(req.candidates.length)} creators in the roster`, `budget ${money(req.budget, cur)}`];
    if (con.max_share_per_influencer !== null) parts.push(`at most ${pct(con.max_share_per_influencer)} of spend per creator`);
    else parts.push('no share cap');
    const low = con.min_influencers ?? 1;
    if (con.max_influencers !== null) parts.push(`${low} to ${con.max_influencers} creators`);
    else if (low > 1) parts.push(`at least ${low} creators`);
    if (con.min_budget_use) parts.push(`spend at least ${pct(con.min_budget_use)} of the budget`);
    const mix = (shares, nameOf) => Object.entries(shares || {}).map(([name, b]) => {
      if (b.min !== undefined && b.max !== undefined) return `${nameOf(name)} ${pct(b.min)}–${pct(b.max)}`;
      return b.min !== undefined ? `${nameOf(name)} ≥ ${pct(b.min)}` : `${nameOf(name)} ≤ ${pct(b.max)}`;
    });
    parts.push(...mix(con.tier_share, capitalize), ...mix(con.platform_share, platformName));
    return h('p', { class: 'asked', id: 'asked' }, h('strong', { text: 'You asked for: ' }), `${parts.join(' · ')}.`);
  }

  function failedView(plan) {
    const banner = h('div', { class: 'banner bad' },
      h('div', null,
        h('div', { class: 'banner-title', id: 'plan-status', text: `The solver found no plan (${plan.status})` }),
        h('div', { class: 'banner-meta', text: planMeta(plan) })));
    const notes = notesSection(plan);
    return notes ? [banner, notes] : [banner];
  }

  // --- downloads ----------------------------------------------------------------------------

  function filenameFrom(disposition) {
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || '');
    return match ? decodeURIComponent(match[1]) : null;
  }

  async function download(fmt, button) {
    if (!state.plan) return;
    const path = `/v1/plans/${encodeURIComponent(state.plan.id)}/export.${fmt}`;
    await fetchDownload(path, `plan.${fmt}`, button, showFormError);
  }

  async function fetchDownload(path, fallbackName, button, showFailure) {
    const label = button.textContent;
    button.setAttribute('aria-disabled', 'true');
    button.textContent = 'Preparing…';
    try {
      // The export needs the key, so it is fetched here and handed to the browser as a file.
      const response = await api(path);
      const blob = await response.blob();
      const name = filenameFrom(response.headers.get('Content-Disposition')) || fallbackName;
      const url = URL.createObjectURL(blob);
      const link = h('a', { href: url, download: name, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      announce(`Downloaded ${name}.`);
    } catch (error) {
      showFailure(error);
      announce(`The download failed. ${error.message}`);
    } finally {
      button.textContent = label;
      button.setAttribute('aria-disabled', 'false');
    }
  }

  // --- saved plans and their comparison ---------------------------------------------------

  const COMPARE_MIN = 2;
  const COMPARE_MAX = 5;
  const LETTERS = 'ABCDE';
  // The fields of a comparison's ``figures``, with how each is shown.
  const FIGURES = [
    ['budget', 'Budget', 'money'],
    ['spend', 'Spend', 'money'],
    ['budget_left', 'Budget left', 'money'],
    ['expected_engagement', 'Expected engagement', 'count'],
    ['reach', 'Reach', 'count'],
    ['influencers', 'Creators', 'count'],
    ['cost_per_engagement', 'Cost per engagement', 'cpe'],
    ['max_share', 'Largest share of spend', 'share'],
    ['hhi', 'HHI of spend shares', 'ratio'],
    ['effective_influencers', 'Effective number of creators', 'ratio'],
    ['engagement_cvar', 'Engagement CVaR (worst tail)', 'count'],
    ['engagement_p05', 'Engagement, 5th percentile', 'count'],
    ['engagement_p50', 'Engagement, median', 'count'],
    ['engagement_p95', 'Engagement, 95th percentile', 'count'],
  ];
  const SCENARIO_FIGURES = new Set(['engagement_cvar', 'engagement_p05', 'engagement_p50', 'engagement_p95']);
  // Plan ids in the order they were ticked: the first is the baseline.
  const compared = { picked: [], comparison: null };

  function figureText(value, kind, cur) {
    if (value === null || value === undefined) return '–';
    if (kind === 'money') return money(value, cur);
    if (kind === 'cpe') return money(value, cur, 3);
    if (kind === 'share') return pct(value);
    if (kind === 'ratio') return decimal(value, 3);
    return count(value);
  }

  // A difference to the first plan: shares move in percentage points.
  function deltaText(value, kind, cur) {
    if (value === null || value === undefined) return '';
    if (Math.abs(value) < 1e-9) return 'same as A';
    const size = Math.abs(value);
    const text = kind === 'share' ? `${decimal(size * 100, 1)} pts` : figureText(size, kind, cur);
    return `${value > 0 ? '+' : '−'}${text} vs A`;
  }

  function figureCell(value, delta, kind, cur) {
    const text = deltaText(delta, kind, cur);
    const direction = delta > 1e-9 ? 'up' : delta < -1e-9 ? 'down' : 'flat';
    return h('td', { class: 'num' }, figureText(value, kind, cur),
      text ? h('span', { class: `delta ${direction}`, text }) : null);
  }

  async function loadSaved() {
    const box = $('saved-errors');
    box.hidden = true;
    try {
      const response = await api('/v1/plans?limit=50');
      const page = await response.json();
      renderSaved(page.items);
      $('load-saved').textContent = 'Refresh list';
      announce(`${page.items.length} saved plan${page.items.length === 1 ? '' : 's'} listed.`);
    } catch (error) {
      showError(box, error);
      announce(error.message);
    }
  }

  function savedRow(p) {
    const box = h('input', {
      type: 'checkbox', id: `pick-${p.id}`, checked: compared.picked.includes(p.id),
      onchange: (event) => pick(p.id, event.currentTarget),
    });
    const when = new Date(p.created_at).toLocaleString(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });
    return h('tr', { dataset: { planId: p.id } },
      h('td', null, box, h('span', { class: 'pick-letter', id: `letter-${p.id}` })),
      h('th', { scope: 'row' }, h('label', { for: box.id, class: 'plan-name', text: p.name || 'Untitled plan' })),
      h('td', { text: when }),
      h('td', { text: p.status }),
      h('td', { class: 'num', text: money(p.budget, p.currency) }),
      h('td', { class: 'num', text: money(p.spend, p.currency) }),
      h('td', { class: 'num', text: p.expected_engagement === null ? '–' : count(p.expected_engagement) }),
      h('td', { class: 'num', text: p.influencers === null ? '–' : String(p.influencers) }),
      h('td', null, h('button', {
        type: 'button', class: 'button small', 'aria-label': `Open ${p.name || p.id}`,
        onclick: () => reopen(p.id),
      }, 'Open')));
  }

  function renderSaved(items) {
    compared.picked = compared.picked.filter((id) => items.some((p) => p.id === id));
    const list = $('saved-list');
    if (!items.length) {
      list.replaceChildren(h('p', { class: 'hint', text: 'No saved plans yet: solve one above.' }));
    } else {
      const heads = ['Compare', 'Plan', 'Stored', 'Status', 'Budget', 'Spend', 'Engagement', 'Creators', ''];
      list.replaceChildren(h('table', { class: 'data compact', id: 'saved-table' },
        h('caption', { class: 'visually-hidden', text: 'Saved plans, newest first' }),
        h('thead', null, h('tr', null, heads.map((text, i) =>
          h('th', { scope: 'col', class: i >= 4 && i <= 7 ? 'num' : null, text })))),
        h('tbody', null, items.map(savedRow))));
    }
    updatePicks();
  }

  function pick(planId, box) {
    const at = compared.picked.indexOf(planId);
    if (!box.checked && at >= 0) compared.picked.splice(at, 1);
    else if (box.checked && at < 0) {
      if (compared.picked.length >= COMPARE_MAX) {
        box.checked = false;
        announce(`At most ${COMPARE_MAX} plans can be compared.`);
        return;
      }
      compared.picked.push(planId);
    }
    updatePicks();
  }

  function updatePicks() {
    document.querySelectorAll('.pick-letter').forEach((el) => { el.textContent = ''; });
    compared.picked.forEach((id, n) => {
      const letter = $(`letter-${id}`);
      if (letter) letter.textContent = LETTERS[n];
    });
    const n = compared.picked.length;
    const ready = n >= COMPARE_MIN && n <= COMPARE_MAX;
    $('compare-selected').setAttribute('aria-disabled', ready ? 'false' : 'true');
    $('compare-selected').textContent = n ? `Compare ${n} selected` : 'Compare selected';
  }

  async function reopen(planId) {
    const box = $('saved-errors');
    box.hidden = true;
    try {
      const response = await api(`/v1/plans/${encodeURIComponent(planId)}?include=request`);
      const plan = await response.json();
      state.plan = plan;
      state.request = plan.request;
      renderPlan(plan);
      showResults();
      announce(`Opened ${plan.name || 'the plan'}. ${planSummary(plan)}`);
    } catch (error) {
      showError(box, error);
      announce(error.message);
    }
  }

  async function comparePicked() {
    const box = $('saved-errors');
    box.hidden = true;
    const n = compared.picked.length;
    if (n < COMPARE_MIN || n > COMPARE_MAX) {
      showError(box, new UiError(`Tick ${COMPARE_MIN} to ${COMPARE_MAX} plans to compare (${n} ticked).`));
      return;
    }
    const ids = compared.picked.map(encodeURIComponent).join(',');
    try {
      const response = await api(`/v1/plans:compare?ids=${ids}`);
      compared.comparison = await response.json();
      renderComparison(compared.comparison);
      $('compare-body').scrollIntoView({ block: 'start' });
      $('compare-body').focus({ preventScroll: true });
      announce(`Comparing ${n} plans; ${compared.comparison.creators.length} creators in all.`);
    } catch (error) {
      showError(box, error);
      announce(error.message);
    }
  }

  function planHead(p, n) {
    return h('th', { scope: 'col', class: 'num' }, `${LETTERS[n]}: ${p.name || 'Untitled plan'}`,
      h('span', { class: 'col-sub', text: p.status }));
  }

  function figuresTable(c) {
    const shown = FIGURES.filter(([name]) =>
      !SCENARIO_FIGURES.has(name) || c.plans.some((p) => p.figures[name] !== null));
    return h('table', { class: 'data compare', id: 'compare-figures' },
      h('caption', { text: 'Totals and risk' }),
      h('thead', null, h('tr', null, h('th', { scope: 'col', text: 'Figure' }), c.plans.map(planHead))),
      h('tbody', null, shown.map(([name, label, kind]) => h('tr', { dataset: { figure: name } },
        h('th', { scope: 'row', text: label }),
        c.plans.map((p) => figureCell(p.figures[name], p.differences && p.differences.figures[name],
          kind, p.currency))))));
  }

  function mixTable(c, field, title, nameOf) {
    const names = Object.keys(c.plans[0][field]);
    return h('table', { class: 'data compare', id: `compare-${field.replace('by_', '')}` },
      h('caption', { text: `${title}, share of spend` }),
      h('thead', null, h('tr', null, h('th', { scope: 'col', text: title }), c.plans.map(planHead))),
      h('tbody', null, names.map((name) => h('tr', null,
        h('th', { scope: 'row', text: nameOf(name) }),
        c.plans.map((p) => figureCell(p[field][name].share,
          p.differences && p.differences[field][name].share, 'share', p.currency))))));
  }

  function creatorsTable(c) {
    const letterOf = Object.fromEntries(c.plans.map((p, n) => [p.id, LETTERS[n]]));
    return h('table', { class: 'data compare', id: 'compare-creators' },
      h('caption', { text: 'Creators: posts and spend per plan' }),
      h('thead', null, h('tr', null,
        ['Creator', 'Platform', 'Tier'].map((text) => h('th', { scope: 'col', text })),
        c.plans.map(planHead), h('th', { scope: 'col', text: 'In' }))),
      h('tbody', null, c.creators.map((k) => h('tr', { class: k.only_in ? 'only' : null, dataset: { creator: k.id } },
        h('th', { scope: 'row', class: 'handle', text: k.handle }),
        h('td', { text: platformName(k.platform) }),
        h('td', { text: capitalize(k.tier) }),
        k.plans.map((bought, n) => h('td', { class: 'num' }, bought
          ? `${bought.posts} × · ${money(bought.spend, c.plans[n].currency)}` : '—')),
        h('td', { text: k.only_in ? `only ${letterOf[k.only_in]}` : 'several' })))));
  }

  function renderComparison(c) {
    const button = h('button', {
      type: 'button', class: 'button small', id: 'compare-xlsx',
      onclick: (event) => downloadComparison(event.currentTarget),
    }, 'Download comparison (XLSX)');
    const notes = h('ul', { class: 'notes', id: 'compare-notes' }, c.notes.map((text) => h('li', { text })));
    $('compare-body').replaceChildren(
      h('div', { class: 'compare-head' },
        h('h3', { text: `Comparison of ${c.plans.length} plans` }),
        h('p', { class: 'hint', text: 'Differences are to plan A.' }),
        button),
      notes,
      h('div', { class: 'table-scroll' }, figuresTable(c)),
      h('div', { class: 'compare-mixes' },
        h('div', { class: 'table-scroll' }, mixTable(c, 'by_tier', 'Tier', capitalize)),
        h('div', { class: 'table-scroll' }, mixTable(c, 'by_platform', 'Platform', platformName))),
      h('div', { class: 'table-scroll' }, creatorsTable(c)));
  }

  async function downloadComparison(button) {
    if (!compared.comparison) return;
    const ids = compared.comparison.plans.map((p) => encodeURIComponent(p.id)).join(',');
    await fetchDownload(`/v1/plans:compare.xlsx?ids=${ids}`, 'compare.xlsx', button,
      (error) => showError($('saved-errors'), error));
  }

  function initSaved() {
    $('load-saved').addEventListener('click', loadSaved);
    $('compare-selected').addEventListener('click', comparePicked);
  }

  // --- start ------------------------------------------------------------------------------------

  function init() {
    initKey();
    initRoster();
    initSaved();
    $('plan-form').addEventListener('submit', (event) => {
      event.preventDefault();
      solve();
    });
    // A field changed by a relaxation stays marked until the planner edits it.
    $('plan-form').addEventListener('input', (event) => event.target.classList.remove('changed'));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
