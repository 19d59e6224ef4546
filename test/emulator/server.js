'use strict';
// Local emulator of the MaxAPI task API (https://api.maxapi.io), see README.md next to this file.
// Plain CommonJS with Node built-ins only, so jest, the demo and `npm run emulator` can all load it.
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const { makePng } = require('./png');

const DEFAULT_API_KEY = 'maxapi-emulator-key';
const SAMPLE_MP4 = fs.readFileSync(path.join(__dirname, 'media', 'sample.mp4'));
const SAMPLE_PNG = makePng(64, 64);
const LARGE_CHUNK = Buffer.alloc(64 * 1024); // reused for every chunk of /files/large/*

const TERMINAL = new Set(['SUCCESS', 'FAILURE', 'TIMEOUT', 'CANCELLED']);
// Share of the task latency after which each non-terminal status starts (checked from the end).
const PHASES = [[0.5, 'SUBMITTED'], [0.2, 'PROCESSING'], [0, 'PENDING']];
const MEDIA_FIELDS = ['mediaUrls', 'imageUrls', 'images'];
const MEDIA_KINDS = {
  image: ['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp'],
  video: ['mp4', 'mov', 'm4v'],
  audio: ['mp3', 'wav'],
};
const MODERATION_CATEGORIES = ['harassment', 'harassment/threatening', 'sexual', 'hate', 'hate/threatening',
  'illicit', 'illicit/violent', 'self-harm', 'self-harm/intent', 'self-harm/instructions', 'sexual/minors',
  'violence', 'violence/graphic'];
// The mock:moderation answer flags violence, like a typical documented block.
const moderationData = () => ({
  flagged: true,
  categories: Object.fromEntries(MODERATION_CATEGORIES.map((c) => [c, c.startsWith('violence')])),
});
const FAULT_ROUTES = ['submit', 'get', 'cancel', 'any'];
const FAULT_TYPES = ['status', 'reset', 'slow-body', 'envelope', 'delay', 'hold'];
// Options that may be changed while the emulator runs (configure(), POST /__emulator/options).
const RUNTIME_OPTIONS = ['latencyMs', 'callbackRetries', 'callbackRetryDelayMs', 'callbackTimeoutMs', 'rejectLocalCallbacks'];
const STATUS_MSGS = { 429: 'rate limited', 500: 'internal error' }; // others: Node's reason phrase, lower-cased

// ---- Model table: output kind, media fields (with count limits) and allowed input values ----
const oneOf = (...values) => ({ test: (v) => values.includes(v), text: `one of ${values.join(', ')}` });
const intRange = (min, max) => ({
  test: (v) => Number.isInteger(v) && v >= min && v <= max,
  text: `an integer from ${min} to ${max}`,
});
const video = (media, limits = {}, extra = {}) => ({ output: 'video', media, limits, ...extra });
const image = (media, limits = {}, extra = {}) => ({ output: 'image', media, limits, ...extra });
const sameFor = (ids, spec) => Object.fromEntries(ids.map((id) => [id, spec]));

const RES_K = oneOf('1k', '2k', '4k');
const seedanceLimits = { ratio: oneOf('1:1', '4:3', '3:4', '16:9', '9:16'), resolution: oneOf('480p', '720p', '1080p') };
const veoLimits = { ratio: oneOf('16:9', '9:16'), duration: oneOf(4, 6, 8) };
const nanoLimits = { ratio: oneOf('16:9', '9:16', '1:1', '4:3', '3:4'), resolution: RES_K };
const seedreamLimits = { ratio: oneOf('1:1', '4:3', '3:4', '16:9', '9:16', '3:2', '2:3', '21:9'), resolution: RES_K };
const grokImageLimits = { n: intRange(1, 10), ratio: oneOf('1:1', '16:9', '9:16'), resolution: oneOf('720p', '1080p') };

const MODELS = {
  ...sameFor(['seedance-2.0', 'seedance-2.0-fast'], video(['mediaUrls', 'imageUrls'],
    { ...seedanceLimits, duration: intRange(4, 15) }, { items: [1, 12], maxImages: 9 })),
  'seedance-1.5-pro': video(['mediaUrls', 'imageUrls'],
    { ...seedanceLimits, duration: oneOf(5, 10) }, { items: [1, 2], imagesOnly: true }),
  ...sameFor(['veo3', 'veo3_fast'], video(['imageUrls'],
    { ...veoLimits, resolution: oneOf('1080p', '4k'), mode: oneOf('i2v', 'i2v-fl', 'r2v') }, { items: [0, 3] })),
  veo3_lite: video(['imageUrls'], { ...veoLimits, mode: oneOf('i2v', 'i2v-fl') }, { items: [0, 3] }),
  'nano-banana': image(['imageUrls'], { ratio: oneOf('16:9', '9:16') }),
  ...sameFor(['nano-banana-2', 'nano-banana-pro'], image(['imageUrls'], nanoLimits)),
  'seedream-5-lite': image(['imageUrls'], { ...seedreamLimits, n: intRange(1, 4) }),
  ...sameFor(['seedream-4.5', 'seedream-4', 'seedream-4.6'],
    image(['imageUrls'], { ...seedreamLimits, n: intRange(1, 15) })),
  ...sameFor(['gpt-image-2/text-to-image', 'gpt-image-2/image-to-image'], image(['imageUrls'], {
    ratio: oneOf('1:1', '3:2', '2:3', '4:3', '3:4', '5:4', '4:5', '16:9', '9:16', '2:1', '1:2', '21:9', '9:21'),
    resolution: RES_K,
    n: intRange(1, 10),
  })),
  'grok-imagine/text-to-image-lite': image([], { n: intRange(1, 4) }),
  ...sameFor(['grok-imagine/text-to-image-standard', 'grok-imagine/text-to-image-pro'], image([], grokImageLimits)),
  'grok-imagine/image-to-image': image(['imageUrls'], {}, { items: [0, 2] }),
  'grok-imagine/text-to-video': video([], {
    duration: oneOf(6, 10, 12, 16, 20),
    ratio: oneOf('1:1', '16:9', '9:16'),
    resolution: oneOf('480p', '720p'),
    mode: oneOf('fun', 'normal', 'spicy', 'custom'),
  }),
  ...sameFor(['jimeng-video-3.5-pro', 'jimeng-video-3.0-pro', 'jimeng-video-3.0', 'jimeng-video-2.0-pro',
    'jimeng-video-2.0', 'seedance-2.0-pro'], video(['imageUrls'])),
  ...sameFor(['jimeng-5.0-preview', 'jimeng-4.6', 'jimeng-4.5', 'jimeng-4.1', 'jimeng-4.0', 'jimeng-3.1',
    'jimeng-3.0', 'jimeng-2.1', 'jimeng-2.0-pro', 'jimeng-2.0', 'jimeng-1.4', 'jimeng-xl-pro'], image(['images'])),
};

// ---- Pure helpers ----
const iso = (ms) => new Date(ms).toISOString();
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isStringArray = (v) => Array.isArray(v) && v.every((item) => typeof item === 'string');

function mediaKind(url) {
  const pathname = URL.canParse(url) ? new URL(url).pathname : url; // a non-URL is judged by its raw text
  const ext = /\.([a-z0-9]+)$/i.exec(pathname)?.[1].toLowerCase();
  return Object.keys(MEDIA_KINDS).find((kind) => MEDIA_KINDS[kind].includes(ext)) ?? null;
}

function isLocalHost(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '0.0.0.0' || /^127\./.test(hostname);
}

function checkCallbackUrl(value, rejectLocal) {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : null;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') return 'callBackUrl must be an http(s) URL';
  if (rejectLocal && isLocalHost(url.hostname)) return 'callBackUrl must not point to localhost';
  return null;
}

function checkModelLimits(model, spec, input) {
  for (const field of spec.media) {
    const urls = input[field];
    if (urls === undefined) continue;
    const [min, max] = spec.items ?? [0, Infinity];
    if (urls.length < min || urls.length > max) {
      const range = min > 0 ? `${min} to ${max} items` : `at most ${max} items`;
      return `input.${field} must contain ${range} for model ${model}`;
    }
    const kinds = urls.map(mediaKind);
    if (spec.maxImages !== undefined && kinds.filter((k) => k === 'image').length > spec.maxImages) {
      return `input.${field} may contain at most ${spec.maxImages} images for model ${model}`;
    }
    if (spec.imagesOnly && kinds.some((k) => k === 'video' || k === 'audio')) {
      return `input.${field} accepts only images (${MEDIA_KINDS.image.join(', ')}) for model ${model}`;
    }
  }
  for (const [field, rule] of Object.entries(spec.limits)) {
    if (input[field] !== undefined && !rule.test(input[field])) {
      return `input.${field} must be ${rule.text} for model ${model}`;
    }
  }
  return null;
}

/** Returns an English error message for an invalid submit body, or null when it is valid. */
function validateSubmit(body, rejectLocalCallbacks) {
  if (!isObject(body)) return 'request body must be a JSON object';
  const { model, input, callBackUrl } = body;
  if (typeof model !== 'string' || model === '') return 'model is required and must be a string';
  const spec = MODELS[model];
  if (!spec) return `model "${model}" is not a known model id`;
  if (!isObject(input)) return 'input is required and must be an object';
  if (typeof input.prompt !== 'string' || input.prompt.trim() === '') {
    return 'input.prompt is required and must be a non-empty string';
  }
  if (callBackUrl !== undefined) {
    const problem = checkCallbackUrl(callBackUrl, rejectLocalCallbacks);
    if (problem) return problem;
  }
  const badField = MEDIA_FIELDS.find((field) => input[field] !== undefined && !isStringArray(input[field]));
  if (badField) return `input.${badField} must be an array of URL strings`;
  return checkModelLimits(model, spec, input);
}

/** Reads the scenario keywords (mock:...) out of a prompt. */
function scenarioFromPrompt(prompt, defaultLatencyMs) {
  const latency = /mock:latency=(\d+)/.exec(prompt);
  const fail = /mock:fail(?:=(\w+))?/.exec(prompt);
  let outcome = { status: 'SUCCESS', reason: null };
  if (prompt.includes('mock:never')) outcome = null;
  else if (prompt.includes('mock:timeout')) outcome = { status: 'TIMEOUT', reason: null };
  else if (fail) outcome = { status: 'FAILURE', reason: fail[1] ?? null };
  return { latencyMs: latency ? Number(latency[1]) : defaultLatencyMs, outcome };
}

function normalizeFault(fault) {
  if (!isObject(fault)) throw new TypeError('fault must be an object');
  const { route = 'any', type, count = 1 } = fault;
  if (!FAULT_ROUTES.includes(route)) throw new TypeError(`fault.route must be one of ${FAULT_ROUTES.join(', ')}`);
  if (!FAULT_TYPES.includes(type)) throw new TypeError(`fault.type must be one of ${FAULT_TYPES.join(', ')}`);
  if (!Number.isInteger(count) || count < 1) throw new TypeError('fault.count must be a positive integer');
  if (type === 'status' && !(Number.isInteger(fault.status) && fault.status >= 400 && fault.status < 600)) {
    throw new TypeError('fault.status must be an HTTP error status (400-599)');
  }
  if ((type === 'slow-body' || type === 'delay') && !(Number.isFinite(fault.delayMs) && fault.delayMs >= 0)) {
    throw new TypeError('fault.delayMs must be a non-negative number');
  }
  if (type === 'envelope' && !Number.isInteger(fault.code)) throw new TypeError('fault.code must be an integer');
  return { ...fault, route, count };
}

const jsonHeaders = (data) => ({ 'content-type': 'application/json; charset=utf-8', 'content-length': data.length });

function sendJson(res, status, body, headers = {}) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...jsonHeaders(data), ...headers });
  res.end(data);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// value = the parsed JSON, or the raw text when it does not parse (null for an empty body).
function parseJson(raw) {
  try {
    return { valid: true, value: JSON.parse(raw) };
  } catch {
    return { valid: false, value: raw === '' ? null : raw };
  }
}

function classifyApiRoute(method, pathname) {
  if (method === 'POST' && pathname === '/api/v1/task/submit') return { route: 'submit' };
  const match = /^\/api\/v1\/task\/([^/]+)(\/cancel)?$/.exec(pathname);
  // Task ids are UUIDs, which URL-encoding leaves unchanged, so the raw path segment is the id.
  if (match && method === (match[2] ? 'POST' : 'GET')) return { route: match[2] ? 'cancel' : 'get', taskId: match[1] };
  return { route: 'unknown' };
}

// ---- The emulator ----
function createEmulator(options = {}) {
  const opts = {
    host: '127.0.0.1', port: 0, apiKey: DEFAULT_API_KEY, latencyMs: 3000,
    rejectLocalCallbacks: false, cancellable: 'non-terminal', httpStatusMirrorsCode: true,
    callbackRetries: 5, callbackRetryDelayMs: 500, callbackTimeoutMs: 5000,
    // an option given as undefined keeps its default
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  };
  const initialOpts = { ...opts }; // reset() goes back to these
  const requests = [];
  const fileRequests = []; // paths of every GET /files/... (downloads)
  const held = []; // answers of 'hold' faults, sent by release()
  const callbacks = [];
  const tasks = new Map();
  const faults = [];
  const timers = new Set();
  const sockets = new Set(); // so stop() can drop keep-alive connections
  const outgoing = new Set(); // callback requests in flight
  let generation = 0; // bumped by reset()/stop() so late callback results are dropped
  let baseUrl = null;
  let inFlight = 0; // API requests being answered now, and the most there have been at once
  let peakInFlight = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { code: 500, msg: 'internal error' });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function later(fn, ms) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  }

  const ok = (data) => ({ status: 200, body: { code: 0, msg: 'ok', ...(data !== undefined && { data }) } });
  const fail = (code, msg, data) => ({
    status: opts.httpStatusMirrorsCode ? code : 200,
    body: { code, msg, ...(data !== undefined && { data }) },
  });
  const send = (res, reply) => sendJson(res, reply.status, reply.body, reply.headers);

  // ---- Tasks ----
  function publicTask(task) {
    const { taskId, status, input, result, failure_reason, created_at, updated_at } = task;
    return structuredClone({ taskId, status, input, result, failure_reason, created_at, updated_at });
  }

  function resultFor(task) {
    const base = `${baseUrl}/files/${task.taskId}`;
    // mock:resultBytes=N: a video result of exactly N bytes, streamed (for memory benchmarks).
    const large = /mock:resultBytes=(\d+)/.exec(String(task.input.prompt));
    if (large) return { type: 'video', urls: [`${baseUrl}/files/large/${large[1]}.mp4`] };
    if (MODELS[task.input.model].output === 'video') return { type: 'video', urls: [`${base}/0.mp4`] };
    const n = Number.isInteger(task.input.n) && task.input.n > 0 ? task.input.n : 1;
    return { type: 'image', urls: Array.from({ length: n }, (_, i) => `${base}/${i}.png`) };
  }

  // The single place where a task becomes terminal, so each outcome triggers exactly one callback.
  function finish(task, status, reason, atMs) {
    task.status = status;
    task.updated_at = iso(atMs);
    task.failure_reason = status === 'FAILURE' ? reason : null;
    task.result = status === 'SUCCESS' ? resultFor(task) : null;
    deliverCallback(task);
    return task;
  }

  // Status is derived from the age of the task, so every read is exact even between timer ticks.
  function advance(task, now = Date.now()) {
    if (TERMINAL.has(task.status)) return task;
    const age = now - task.submittedAt;
    if (task.outcome && age >= task.latencyMs) {
      return finish(task, task.outcome.status, task.outcome.reason, task.submittedAt + task.latencyMs);
    }
    const [share, status] = PHASES.find(([start]) => age >= start * task.latencyMs);
    if (status !== task.status) {
      task.status = status;
      task.updated_at = iso(task.submittedAt + share * task.latencyMs);
    }
    return task;
  }

  function createTask(body) {
    const now = Date.now();
    const task = {
      taskId: crypto.randomUUID(),
      status: 'PENDING',
      input: { ...body.input, model: body.model },
      result: null,
      failure_reason: null,
      created_at: iso(now),
      updated_at: iso(now),
      callBackUrl: body.callBackUrl,
      user_id: body.user_id,
      submittedAt: now,
      ...scenarioFromPrompt(body.input.prompt, opts.latencyMs),
    };
    tasks.set(task.taskId, task);
    if (task.outcome) {
      // Timers may fire a hair early; never let that make the task look younger than its latency.
      later(() => advance(task, Math.max(Date.now(), task.submittedAt + task.latencyMs)), task.latencyMs);
    }
    return task;
  }

  // ---- Callbacks ----
  function postJson(url, payload) {
    return new Promise((resolve, reject) => {
      const client = url.startsWith('https:') ? https : http;
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
      // agent: false = one connection per attempt, so no pooled keep-alive socket outlives stop().
      const req = client.request(url, { method: 'POST', headers, agent: false }, (res) => {
        res.resume(); // drain, the body is not used
        resolve(res.statusCode);
      });
      outgoing.add(req);
      req.on('close', () => outgoing.delete(req));
      const { callbackTimeoutMs } = opts;
      req.setTimeout(callbackTimeoutMs, () => req.destroy(new Error(`no answer within ${callbackTimeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  function deliverCallback(task) {
    if (!task.callBackUrl) return;
    const payload = JSON.stringify({ code: 0, msg: 'ok', data: publicTask(task) });
    const myGeneration = generation;
    const attempt = async (number) => {
      const at = Date.now();
      const outcome = await postJson(task.callBackUrl, payload).then(
        (status) => ({ status }),
        (err) => ({ error: err.message }),
      );
      if (myGeneration !== generation) return;
      callbacks.push({ taskId: task.taskId, url: task.callBackUrl, attempt: number, ...outcome, at });
      const delivered = outcome.status >= 200 && outcome.status < 300;
      if (!delivered && number <= opts.callbackRetries) {
        later(() => attempt(number + 1), opts.callbackRetryDelayMs * 2 ** (number - 1));
      }
    };
    attempt(1);
  }

  // ---- API routes: each returns { status, body, headers? } and sends nothing itself ----
  const routes = {
    submit(parsed) {
      if (!parsed.valid) return fail(400, 'invalid JSON body');
      const problem = validateSubmit(parsed.value, opts.rejectLocalCallbacks);
      if (problem) return fail(400, problem);
      if (parsed.value.input.prompt.includes('mock:moderation')) {
        return fail(400, 'content rejected by moderation', moderationData());
      }
      return ok({ taskId: createTask(parsed.value).taskId });
    },
    get(parsed, taskId) {
      const task = tasks.get(taskId);
      return task ? ok(publicTask(advance(task))) : fail(404, 'task not found');
    },
    cancel(parsed, taskId) {
      const task = tasks.get(taskId);
      if (!task) return fail(404, 'task not found');
      const { status } = advance(task);
      const cancellable = opts.cancellable === 'pending' ? status === 'PENDING' : !TERMINAL.has(status);
      if (!cancellable) return fail(400, `task cannot be cancelled in status ${status}`);
      finish(task, 'CANCELLED', null, Date.now());
      return ok();
    },
    unknown: () => fail(404, 'not found'),
  };

  function takeFault(route) {
    const index = faults.findIndex((f) => f.route === 'any' || f.route === route);
    if (index === -1) return null;
    const fault = faults[index];
    if (--fault.count === 0) faults.splice(index, 1);
    return fault;
  }

  function sendSlowly(res, reply, delayMs) {
    const data = Buffer.from(JSON.stringify(reply.body));
    res.writeHead(reply.status, { ...jsonHeaders(data), ...reply.headers });
    res.flushHeaders();
    const pieces = 10;
    const size = Math.ceil(data.length / pieces);
    for (let i = 0; i < pieces; i++) {
      later(() => {
        if (res.destroyed) return;
        const part = data.subarray(i * size, (i + 1) * size);
        if (i === pieces - 1) res.end(part);
        else res.write(part);
      }, (delayMs * (i + 1)) / pieces);
    }
  }

  function handleApi(req, res, pathname, raw) {
    const { route, taskId } = classifyApiRoute(req.method, pathname);
    const parsed = parseJson(raw);
    const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
    const authorized = match !== null && match[1].trim() === opts.apiKey;
    requests.push({ method: req.method, path: pathname, route, ...(taskId && { taskId }),
      body: parsed.value, authorized, at: Date.now() });
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (!authorized) return send(res, fail(401, 'unauthorized'));

    const fault = takeFault(route);
    if (fault?.type === 'status') {
      const msg = STATUS_MSGS[fault.status] ?? (http.STATUS_CODES[fault.status] ?? 'error').toLowerCase();
      const headers = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
      return sendJson(res, fault.status, { code: fault.status, msg }, headers);
    }
    if (fault?.type === 'envelope') return sendJson(res, 200, { code: fault.code, msg: fault.msg ?? 'error' });
    // A reset submit still creates the task: the request reached the server, only the answer is lost.
    if (fault?.type === 'reset' && route !== 'submit') return req.socket.destroy();

    const reply = routes[route](parsed, taskId);
    if (fault?.type === 'reset') return req.socket.destroy();
    if (fault?.type === 'slow-body') return sendSlowly(res, reply, fault.delayMs);
    // delay and hold answer with the state at arrival, as a slow API or network would.
    if (fault?.type === 'delay') return later(() => send(res, reply), fault.delayMs);
    if (fault?.type === 'hold') return held.push(() => send(res, reply));
    return send(res, reply);
  }

  function handleFile(req, res, pathname) {
    const notFound = () => {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound();
    if (req.method === 'GET') fileRequests.push(pathname);
    const large = /^\/files\/large\/(\d+)\.mp4$/.exec(pathname);
    if (large) return streamLarge(req, res, Number(large[1]));
    const match = /^\/files\/([^/]+)\/\d+\.(mp4|png)$/.exec(pathname);
    if (!match || !tasks.has(match[1])) return notFound();
    const [type, data] = match[2] === 'mp4' ? ['video/mp4', SAMPLE_MP4] : ['image/png', SAMPLE_PNG];
    res.writeHead(200, { 'content-type': type, 'content-length': data.length });
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  // Streams `total` bytes in 64 KiB chunks, waiting for 'drain' so memory stays flat for any size.
  function streamLarge(req, res, total) {
    if (!Number.isSafeInteger(total)) return sendJson(res, 400, { code: 400, msg: 'size too large' });
    res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': total });
    if (req.method === 'HEAD') return res.end();
    let left = total;
    const pump = () => {
      while (left > 0) {
        if (res.destroyed) return;
        const size = Math.min(left, LARGE_CHUNK.length);
        left -= size;
        if (!res.write(size === LARGE_CHUNK.length ? LARGE_CHUNK : LARGE_CHUNK.subarray(0, size))) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    pump();
  }

  // Control API: no auth and not logged, for suites that drive the emulator from another process.
  function handleControl(req, res, pathname, raw) {
    switch (`${req.method} ${pathname}`) {
      case 'POST /__emulator/faults':
        try {
          injectFault(JSON.parse(raw));
          return sendJson(res, 200, { ok: true });
        } catch (err) {
          return sendJson(res, 400, { ok: false, error: err.message });
        }
      case 'GET /__emulator/requests':
        return sendJson(res, 200, requests);
      case 'GET /__emulator/callbacks':
        return sendJson(res, 200, callbacks);
      case 'GET /__emulator/tasks':
        return sendJson(res, 200, [...tasks.values()].map((task) => advance(task)));
      case 'POST /__emulator/reset':
        reset();
        return sendJson(res, 200, { ok: true });
      case 'POST /__emulator/options':
      case 'POST /__emulator/release':
      case 'POST /__emulator/finish':
      case 'POST /__emulator/callback':
        try {
          const body = raw === '' ? {} : JSON.parse(raw);
          const action = pathname.slice('/__emulator/'.length);
          if (action === 'options') configure(body);
          if (action === 'release') return sendJson(res, 200, { ok: true, released: release() });
          if (action === 'finish') finishTask(body.taskId, body);
          if (action === 'callback') deliverCallback(taskOrThrow(body.taskId));
          return sendJson(res, 200, { ok: true });
        } catch (err) {
          return sendJson(res, 400, { ok: false, error: err.message });
        }
      default:
        return sendJson(res, 404, { ok: false, error: 'not found' });
    }
  }

  async function handle(req, res) {
    const raw = await readBody(req); // always consume the whole body before answering
    const pathname = req.url.split('?')[0];
    if (pathname === '/api/v1' || pathname.startsWith('/api/v1/')) return handleApi(req, res, pathname, raw);
    if (pathname.startsWith('/__emulator/')) return handleControl(req, res, pathname, raw);
    if (pathname.startsWith('/files/')) return handleFile(req, res, pathname);
    return sendJson(res, 404, { code: 404, msg: 'not found' });
  }

  // ---- Public surface ----
  function injectFault(fault) {
    faults.push(normalizeFault(fault));
  }

  /** Changes options while running (see RUNTIME_OPTIONS); reset() restores the ones it started with. */
  function configure(changes) {
    if (!isObject(changes)) throw new TypeError('options must be an object');
    for (const [key, value] of Object.entries(changes)) {
      if (!RUNTIME_OPTIONS.includes(key)) throw new TypeError(`${key} cannot be changed; one of ${RUNTIME_OPTIONS.join(', ')}`);
      opts[key] = value;
    }
  }

  /** Sends every answer held by a 'hold' fault; returns how many. */
  function release() {
    const waiting = held.splice(0);
    for (const sendHeld of waiting) sendHeld();
    return waiting.length;
  }

  function taskOrThrow(taskId) {
    const task = tasks.get(taskId);
    if (!task) throw new TypeError(`no task ${taskId}`);
    return task;
  }

  /** Ends a running task now (e.g. a mock:never one), with its callback. Default outcome: SUCCESS. */
  function finishTask(taskId, { status = 'SUCCESS', reason = null } = {}) {
    const task = advance(taskOrThrow(taskId));
    if (!TERMINAL.has(status)) throw new TypeError(`status must be one of ${[...TERMINAL].join(', ')}`);
    if (TERMINAL.has(task.status)) throw new TypeError(`task ${taskId} has already ended (${task.status})`);
    return publicTask(finish(task, status, reason, Date.now()));
  }

  function clearBackgroundWork() {
    generation++;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const req of outgoing) req.destroy();
  }

  function reset() {
    clearBackgroundWork();
    release(); // answers still held go out, so no client hangs on them
    Object.assign(opts, initialOpts);
    tasks.clear();
    requests.length = 0;
    fileRequests.length = 0;
    callbacks.length = 0;
    faults.length = 0;
    peakInFlight = inFlight;
  }

  async function start() {
    await new Promise((resolve, reject) => server.once('error', reject).listen(opts.port, opts.host, resolve));
    const { port } = server.address();
    baseUrl = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
    return { baseUrl, port };
  }

  async function stop() {
    clearBackgroundWork();
    if (!server.listening) return;
    const closed = new Promise((resolve) => server.close(() => resolve()));
    for (const socket of sockets) socket.destroy();
    await closed;
  }

  /** Polls predicate(emulator) every 20 ms; resolves with its first truthy value. */
  async function waitFor(predicate, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await predicate(emulator);
      if (value) return value;
      if (Date.now() >= deadline) throw new Error(`waitFor: condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const emulator = {
    get baseUrl() {
      return baseUrl;
    },
    apiKey: opts.apiKey,
    requests,
    fileRequests,
    callbacks,
    tasks,
    start,
    stop,
    reset,
    injectFault,
    configure,
    release,
    heldCount: () => held.length,
    finishTask,
    /** Sends a finished task's callback once more (MaxAPI calling again), with the usual retries. */
    deliverCallback: (taskId) => deliverCallback(taskOrThrow(taskId)),
    getTask: (id) => (tasks.has(id) ? publicTask(advance(tasks.get(id))) : undefined),
    submitCount: () => requests.filter((r) => r.route === 'submit').length,
    peakInFlight: () => peakInFlight,
    waitFor,
  };
  return emulator;
}

module.exports = { createEmulator, DEFAULT_API_KEY };
