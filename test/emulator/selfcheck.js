'use strict';
// Self-check of the MaxAPI emulator over real HTTP, without jest:  node test/emulator/selfcheck.js
// Prints one line per check and "N passed, M failed"; exits non-zero when anything failed.
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { createEmulator, DEFAULT_API_KEY } = require('./server');

const SAMPLE_MP4 = fs.readFileSync(path.join(__dirname, 'media', 'sample.mp4'));
const CLI = path.join(__dirname, '..', '..', 'scripts', 'emulator.js');
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- helpers ----
async function withEmulator(options, fn) {
  const emu = createEmulator(options);
  await emu.start();
  try {
    return await fn(emu);
  } finally {
    await emu.stop();
  }
}

/** One HTTP call with fetch; key = null sends no Authorization header. */
async function call(emu, method, urlPath, { body, key = emu.apiKey } = {}) {
  const init = { method, headers: {} };
  if (key !== null) init.headers.authorization = `Bearer ${key}`;
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers['content-type'] = 'application/json';
  }
  const res = await fetch(emu.baseUrl + urlPath, init);
  const buffer = Buffer.from(await res.arrayBuffer());
  let json;
  try {
    json = JSON.parse(buffer.toString('utf8'));
  } catch {
    // not JSON (files, plain 404)
  }
  return { status: res.status, headers: res.headers, buffer, json };
}
const submit = (emu, model, input, extra = {}) =>
  call(emu, 'POST', '/api/v1/task/submit', { body: { model, input, ...extra } });
const getTask = (emu, id) => call(emu, 'GET', `/api/v1/task/${id}`);
const cancel = (emu, id) => call(emu, 'POST', `/api/v1/task/${id}/cancel`);
async function submitOk(emu, model, input, extra) {
  const res = await submit(emu, model, input, extra);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  assert.equal(res.json.code, 0);
  return res.json.data.taskId;
}

/** Webhook receiver: answers each POST with the next of `statuses` (then 200); 'hang' never answers. */
async function startReceiver(statuses = []) {
  const received = [];
  const server = http.createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    received.push({ method: req.method, url: req.url, headers: req.headers, body: JSON.parse(text) });
    const status = statuses.shift() ?? 200;
    if (status !== 'hang') res.writeHead(status).end('ok');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/hook?token=abc`,
    received,
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

async function closedPortUrl() {
  const server = http.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/hook`;
}

/** GET with node:http, reporting when headers and the end of the body arrived. */
function timedGet(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    http.get(url, { headers }, (res) => {
      const headersAfter = Date.now() - started;
      let bytes = 0;
      const chunks = [];
      res.on('data', (chunk) => {
        bytes += chunk.length;
        if (chunks.length < 100) chunks.push(chunk);
      });
      res.on('end', () => resolve({ res, headersAfter, endAfter: Date.now() - started, bytes, chunks }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

function runNode(args, env = {}) {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, exited, output: () => stdout };
}

/** Resolves with the match once the child's stdout matches pattern. */
function waitForOutput(proc, pattern) {
  return new Promise((resolve, reject) => {
    proc.child.stdout.on('data', () => {
      const match = pattern.exec(proc.output());
      if (match) resolve(match);
    });
    proc.exited.then((r) => reject(new Error(`exited early (code ${r.code}): ${r.stderr}`)));
  });
}

async function waitForExit(exited, ms, what) {
  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(resolve, ms, null)));
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  assert.ok(result, `${what} did not exit within ${ms} ms`);
  return result;
}

// ---- checks ----
check('start() gives baseUrl and port; stop() is idempotent; exports', async () => {
  assert.equal(DEFAULT_API_KEY, 'maxapi-emulator-key');
  const emu = createEmulator();
  assert.equal(emu.baseUrl, null);
  const info = await emu.start();
  assert.match(info.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.port, Number(new URL(info.baseUrl).port));
  assert.equal(emu.baseUrl, info.baseUrl);
  assert.equal(emu.apiKey, DEFAULT_API_KEY);
  await emu.stop();
  await emu.stop();
});

check('auth: missing/wrong key -> 401 envelope, logged as unauthorized, key never echoed', async () => {
  await withEmulator({}, async (emu) => {
    for (const key of [null, 'wrong-key']) {
      const res = await call(emu, 'GET', '/api/v1/task/abc', { key });
      assert.equal(res.status, 401);
      assert.deepEqual(res.json, { code: 401, msg: 'unauthorized' });
    }
    const basic = await fetch(`${emu.baseUrl}/api/v1/nope`, { headers: { authorization: `Basic ${emu.apiKey}` } });
    assert.equal(basic.status, 401);
    const unauthSubmit = await call(emu, 'POST', '/api/v1/task/submit', { key: null, body: { model: 'veo3', input: { prompt: 'x' } } });
    assert.equal(unauthSubmit.status, 401);
    assert.equal(emu.tasks.size, 0);
    const ok = await getTask(emu, 'abc');
    assert.equal(ok.status, 404);
    assert.deepEqual(emu.requests.map((r) => r.authorized), [false, false, false, false, true]);
    assert.equal(emu.submitCount(), 1);
    assert.ok(!JSON.stringify(emu.requests).includes(emu.apiKey));
  });
  await withEmulator({ apiKey: 'custom-key' }, async (emu) => {
    assert.equal((await getTask(emu, 'x')).status, 404);
    assert.equal((await call(emu, 'GET', '/api/v1/task/x', { key: DEFAULT_API_KEY })).status, 401);
  });
});

check('submit: invalid JSON and non-object bodies -> 400', async () => {
  await withEmulator({}, async (emu) => {
    const bad = await call(emu, 'POST', '/api/v1/task/submit', { body: '{oops' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json, { code: 400, msg: 'invalid JSON body' });
    assert.equal(emu.requests[0].body, '{oops');
    const empty = await call(emu, 'POST', '/api/v1/task/submit');
    assert.deepEqual(empty.json, { code: 400, msg: 'invalid JSON body' });
    assert.equal(emu.requests[1].body, null);
    const array = await call(emu, 'POST', '/api/v1/task/submit', { body: [1] });
    assert.deepEqual(array.json, { code: 400, msg: 'request body must be a JSON object' });
    assert.equal(emu.tasks.size, 0);
  });
});

check('submit: validation errors name the field; model limits apply', async () => {
  const cases = [
    [{ input: { prompt: 'p' } }, /^model is required/],
    [{ model: 42, input: { prompt: 'p' } }, /^model is required/],
    [{ model: 'sora-9', input: { prompt: 'p' } }, /model "sora-9" is not a known model id/],
    [{ model: 'veo3' }, /^input is required/],
    [{ model: 'veo3', input: [] }, /^input is required/],
    [{ model: 'veo3', input: {} }, /^input\.prompt is required/],
    [{ model: 'veo3', input: { prompt: '   ' } }, /^input\.prompt is required/],
    [{ model: 'veo3', input: { prompt: 'p' }, callBackUrl: 'ftp://x/y' }, /^callBackUrl must be an http\(s\) URL/],
    [{ model: 'veo3', input: { prompt: 'p' }, callBackUrl: 'not a url' }, /^callBackUrl must be an http\(s\) URL/],
    [{ model: 'veo3', input: { prompt: 'p', imageUrls: 'http://a/b.png' } }, /^input\.imageUrls must be an array/],
    [{ model: 'jimeng-4.6', input: { prompt: 'p', images: [1] } }, /^input\.images must be an array/],
    [{ model: 'seedance-2.0', input: { prompt: 'p', mediaUrls: [] } }, /input\.mediaUrls must contain 1 to 12 items/],
    [{ model: 'seedance-2.0', input: { prompt: 'p', mediaUrls: Array(13).fill('http://a/v.mp4') } }, /1 to 12 items/],
    [{ model: 'seedance-2.0-fast', input: { prompt: 'p', mediaUrls: Array(10).fill('http://a/i.JPG?x=1') } },
      /at most 9 images for model seedance-2\.0-fast/],
    [{ model: 'seedance-2.0', input: { prompt: 'p', imageUrls: Array(13).fill('http://a/i.png') } }, /input\.imageUrls must contain/],
    [{ model: 'seedance-2.0', input: { prompt: 'p', duration: 3 } }, /input\.duration must be an integer from 4 to 15/],
    [{ model: 'seedance-2.0', input: { prompt: 'p', ratio: '21:9' } }, /input\.ratio must be one of 1:1/],
    [{ model: 'seedance-2.0', input: { prompt: 'p', resolution: '4k' } }, /input\.resolution must be one of 480p/],
    [{ model: 'seedance-1.5-pro', input: { prompt: 'p', mediaUrls: ['http://a/1.png', 'http://a/2.mov'] } },
      /accepts only images .* for model seedance-1\.5-pro/],
    [{ model: 'seedance-1.5-pro', input: { prompt: 'p', mediaUrls: ['http://a/1.png', 'http://a/2.png', 'http://a/3.png'] } },
      /1 to 2 items/],
    [{ model: 'seedance-1.5-pro', input: { prompt: 'p', duration: 8 } }, /input\.duration must be one of 5, 10/],
    [{ model: 'veo3', input: { prompt: 'p', ratio: '1:1' } }, /input\.ratio must be one of 16:9, 9:16 for model veo3$/],
    [{ model: 'veo3_fast', input: { prompt: 'p', duration: 5 } }, /input\.duration must be one of 4, 6, 8/],
    [{ model: 'veo3', input: { prompt: 'p', resolution: '720p' } }, /input\.resolution must be one of 1080p, 4k/],
    [{ model: 'veo3', input: { prompt: 'p', imageUrls: ['a', 'b', 'c', 'd'] } }, /at most 3 items/],
    [{ model: 'veo3_lite', input: { prompt: 'p', mode: 'r2v' } }, /input\.mode must be one of i2v, i2v-fl for model veo3_lite/],
    [{ model: 'nano-banana', input: { prompt: 'p', ratio: '1:1' } }, /input\.ratio must be one of 16:9, 9:16/],
    [{ model: 'nano-banana-pro', input: { prompt: 'p', resolution: '8k' } }, /input\.resolution must be one of 1k, 2k, 4k/],
    [{ model: 'seedream-5-lite', input: { prompt: 'p', n: 5 } }, /input\.n must be an integer from 1 to 4/],
    [{ model: 'seedream-4', input: { prompt: 'p', n: 16 } }, /input\.n must be an integer from 1 to 15/],
    [{ model: 'seedream-4.5', input: { prompt: 'p', ratio: '5:4' } }, /input\.ratio must be one of/],
    [{ model: 'gpt-image-2/text-to-image', input: { prompt: 'p', n: 11 } }, /input\.n must be an integer from 1 to 10/],
    [{ model: 'gpt-image-2/image-to-image', input: { prompt: 'p', ratio: '7:3' } }, /input\.ratio must be one of/],
    [{ model: 'grok-imagine/text-to-image-lite', input: { prompt: 'p', n: 5 } }, /from 1 to 4/],
    [{ model: 'grok-imagine/text-to-image-pro', input: { prompt: 'p', resolution: '480p' } }, /720p, 1080p/],
    [{ model: 'grok-imagine/image-to-image', input: { prompt: 'p', imageUrls: ['a', 'b', 'c'] } }, /at most 2 items/],
    [{ model: 'grok-imagine/text-to-video', input: { prompt: 'p', duration: 8 } }, /one of 6, 10, 12, 16, 20/],
    [{ model: 'grok-imagine/text-to-video', input: { prompt: 'p', mode: 'wild' } }, /fun, normal, spicy, custom/],
  ];
  await withEmulator({}, async (emu) => {
    for (const [body, expected] of cases) {
      const res = await call(emu, 'POST', '/api/v1/task/submit', { body });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.json.code, 400);
      assert.match(res.json.msg, expected, JSON.stringify(body));
      assert.equal(res.json.data, undefined);
    }
    assert.equal(emu.tasks.size, 0);
    const valid = [
      ['seedance-2.0', { prompt: 'p', mediaUrls: [...Array(9).fill('http://a/i.png'), 'http://a/v.mp4', 'http://a/s.mp3'], duration: 15, ratio: '9:16', resolution: '1080p' }],
      ['seedance-2.0', { prompt: 'p', imageUrls: ['http://a/i.png'], fallback: true }],
      ['seedance-1.5-pro', { prompt: 'p', mediaUrls: ['http://a/1.png', 'http://a/2.webp'], duration: 10 }],
      ['veo3', { prompt: 'p', imageUrls: ['a', 'b', 'c'], mode: 'r2v', resolution: '4k', duration: 8 }],
      ['veo3_lite', { prompt: 'p', resolution: '720p', mode: 'i2v-fl' }],
      ['nano-banana-2', { prompt: 'p', ratio: '1:1', resolution: '2k', imageUrls: [] }],
      ['seedream-4.6', { prompt: 'p', n: 15, ratio: '21:9' }],
      ['gpt-image-2/text-to-image', { prompt: 'p', ratio: '9:21', resolution: '4k', n: 10 }],
      ['grok-imagine/text-to-image-lite', { prompt: 'p', ratio: 'anything' }],
      ['grok-imagine/text-to-video', { prompt: 'p', duration: 20, mode: 'spicy', resolution: '480p' }],
      ['jimeng-video-3.5-pro', { prompt: 'p', imageUrls: ['a'], duration: 99 }],
      ['jimeng-xl-pro', { prompt: 'p', images: ['a'], someUnknownField: { x: 1 } }],
      ['seedance-2.0-pro', { prompt: 'p mock:never' }],
    ];
    for (const [model, input] of valid) await submitOk(emu, model, input);
    assert.equal(emu.tasks.size, valid.length);
  });
});

check('moderation keyword -> documented 400 with categories, no task', async () => {
  await withEmulator({}, async (emu) => {
    const res = await submit(emu, 'seedance-2.0', { prompt: 'a fight mock:moderation' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json, {
      code: 400,
      msg: 'content rejected by moderation',
      data: {
        flagged: true,
        categories: {
          harassment: false, 'harassment/threatening': false, sexual: false, hate: false, 'hate/threatening': false,
          illicit: false, 'illicit/violent': false, 'self-harm': false, 'self-harm/intent': false,
          'self-harm/instructions': false, 'sexual/minors': false, violence: true, 'violence/graphic': true,
        },
      },
    });
    assert.equal(emu.tasks.size, 0);
  });
});

check('status progression by elapsed time, updated_at at each transition, video result served', async () => {
  await withEmulator({ latencyMs: 1000 }, async (emu) => {
    const input = { prompt: 'a cat', duration: 5, ratio: '16:9' };
    const started = Date.now();
    const id = await submitOk(emu, 'seedance-2.0', input, { user_id: 'u-1', callBackUrl: 'https://example.com/hook' });
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const seen = [];
    for (const at of [100, 350, 750]) {
      await sleep(started + at - Date.now());
      const { json } = await getTask(emu, id);
      seen.push(json.data.status);
      assert.equal(json.data.result, null);
    }
    assert.deepEqual(seen, ['PENDING', 'PROCESSING', 'SUBMITTED']);
    const submitted = (await getTask(emu, id)).json.data;
    assert.equal(Date.parse(submitted.updated_at) - Date.parse(submitted.created_at), 500);
    // The record keeps callBackUrl and user_id, the public JSON does not.
    assert.equal(emu.tasks.get(id).user_id, 'u-1');
    assert.equal(emu.tasks.get(id).callBackUrl, 'https://example.com/hook');
    emu.tasks.get(id).callBackUrl = undefined; // keep this check off the network
    await sleep(started + 1150 - Date.now());
    const res = await getTask(emu, id);
    assert.equal(res.status, 200);
    assert.equal(res.json.code, 0);
    assert.equal(res.json.msg, 'ok');
    const task = res.json.data;
    assert.deepEqual(Object.keys(task).sort(), ['created_at', 'failure_reason', 'input', 'result', 'status', 'taskId', 'updated_at']);
    assert.equal(task.taskId, id);
    assert.equal(task.status, 'SUCCESS');
    assert.deepEqual(task.input, { ...input, model: 'seedance-2.0' });
    assert.match(task.created_at, ISO_UTC);
    assert.match(task.updated_at, ISO_UTC);
    assert.equal(Date.parse(task.updated_at) - Date.parse(task.created_at), 1000);
    assert.equal(task.failure_reason, null);
    assert.deepEqual(task.result, { type: 'video', urls: [`${emu.baseUrl}/files/${id}/0.mp4`] });
    assert.deepEqual(emu.getTask(id), task);
    const file = await fetch(task.result.urls[0]); // no auth, like a CDN
    assert.equal(file.status, 200);
    assert.equal(file.headers.get('content-type'), 'video/mp4');
    assert.equal(file.headers.get('content-length'), String(SAMPLE_MP4.length));
    assert.ok(Buffer.from(await file.arrayBuffer()).equals(SAMPLE_MP4));
  });
});

check('image results: n URLs to valid 64x64 PNGs; unknown files -> 404', async () => {
  await withEmulator({ latencyMs: 50 }, async (emu) => {
    const many = await submitOk(emu, 'gpt-image-2/text-to-image', { prompt: 'p', n: 3 });
    const one = await submitOk(emu, 'nano-banana', { prompt: 'p' });
    await sleep(80);
    const result = emu.getTask(many).result;
    assert.deepEqual(result, { type: 'image', urls: [0, 1, 2].map((i) => `${emu.baseUrl}/files/${many}/${i}.png`) });
    assert.equal(emu.getTask(one).result.urls.length, 1);
    const png = await fetch(result.urls[2]);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    assert.equal(png.headers.get('content-length'), String(bytes.length));
    assert.ok(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])));
    assert.equal(bytes.toString('ascii', 12, 16), 'IHDR');
    assert.deepEqual([bytes.readUInt32BE(16), bytes.readUInt32BE(20)], [64, 64]);
    for (const bad of ['/files/nope/0.png', `/files/${one}/0.gif`, '/files/large/abc.mp4', '/elsewhere']) {
      const res = await fetch(emu.baseUrl + bad);
      assert.equal(res.status, 404, bad);
      await res.arrayBuffer();
    }
  });
});

check('keywords: mock:fail, mock:fail=REASON, mock:timeout, mock:latency, mock:never', async () => {
  await withEmulator({ latencyMs: 60_000 }, async (emu) => {
    const ids = {
      fail: await submitOk(emu, 'veo3', { prompt: 'x mock:fail mock:latency=40' }),
      reason: await submitOk(emu, 'veo3', { prompt: 'mock:latency=40 x mock:fail=INSUFFICIENT_POINTS' }),
      timeout: await submitOk(emu, 'veo3', { prompt: 'mock:timeout mock:latency=40' }),
      never: await submitOk(emu, 'veo3', { prompt: 'mock:never mock:latency=40' }),
      slow: await submitOk(emu, 'veo3', { prompt: 'default latency (60 s)' }),
    };
    await sleep(150);
    const t = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, emu.getTask(id)]));
    assert.deepEqual([t.fail.status, t.fail.failure_reason, t.fail.result], ['FAILURE', null, null]);
    assert.deepEqual([t.reason.status, t.reason.failure_reason, t.reason.result], ['FAILURE', 'INSUFFICIENT_POINTS', null]);
    assert.deepEqual([t.timeout.status, t.timeout.failure_reason, t.timeout.result], ['TIMEOUT', null, null]);
    assert.equal(t.never.status, 'SUBMITTED');
    assert.equal(t.slow.status, 'PENDING');
  });
});

check('cancel (non-terminal mode): allowed until terminal, then 400; unknown -> 404', async () => {
  await withEmulator({ latencyMs: 60_000 }, async (emu) => {
    const pending = await submitOk(emu, 'veo3', { prompt: 'p' });
    const res = await cancel(emu, pending);
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { code: 0, msg: 'ok' });
    const cancelled = emu.getTask(pending);
    assert.deepEqual([cancelled.status, cancelled.result, cancelled.failure_reason], ['CANCELLED', null, null]);
    const again = await cancel(emu, pending);
    assert.equal(again.status, 400);
    assert.deepEqual(again.json, { code: 400, msg: 'task cannot be cancelled in status CANCELLED' });

    const late = await submitOk(emu, 'veo3', { prompt: 'p mock:latency=200' });
    await sleep(120);
    assert.equal(emu.getTask(late).status, 'SUBMITTED');
    assert.equal((await cancel(emu, late)).status, 200);
    await sleep(150); // past its latency: it must stay CANCELLED
    assert.equal(emu.getTask(late).status, 'CANCELLED');

    const done = await submitOk(emu, 'veo3', { prompt: 'p mock:latency=0' });
    const refused = await cancel(emu, done);
    assert.deepEqual(refused.json, { code: 400, msg: 'task cannot be cancelled in status SUCCESS' });
    const unknown = await cancel(emu, 'no-such-task');
    assert.equal(unknown.status, 404);
    assert.deepEqual(unknown.json, { code: 404, msg: 'task not found' });
  });
});

check("cancel (cancellable: 'pending'): only PENDING tasks", async () => {
  await withEmulator({ latencyMs: 60_000, cancellable: 'pending' }, async (emu) => {
    const processing = await submitOk(emu, 'veo3', { prompt: 'p mock:latency=300' });
    await sleep(90);
    const refused = await cancel(emu, processing);
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, { code: 400, msg: 'task cannot be cancelled in status PROCESSING' });
    const pending = await submitOk(emu, 'veo3', { prompt: 'p' });
    assert.deepEqual((await cancel(emu, pending)).json, { code: 0, msg: 'ok' });
  });
});

check('routing: 404 envelopes; request log shape', async () => {
  await withEmulator({ latencyMs: 60_000 }, async (emu) => {
    const id = await submitOk(emu, 'veo3', { prompt: 'p' });
    assert.deepEqual((await getTask(emu, 'missing')).json, { code: 404, msg: 'task not found' });
    assert.equal((await getTask(emu, 'missing')).status, 404);
    for (const [method, urlPath] of [['GET', '/api/v1/models'], ['PUT', '/api/v1/task/submit'], ['DELETE', `/api/v1/task/${id}`], ['GET', '/api/v1']]) {
      const res = await call(emu, method, urlPath);
      assert.equal(res.status, 404, `${method} ${urlPath}`);
      assert.deepEqual(res.json, { code: 404, msg: 'not found' });
    }
    await getTask(emu, `${id}?verbose=1`);
    await cancel(emu, id);
    const log = emu.requests;
    assert.deepEqual(log.map((r) => r.route), ['submit', 'get', 'get', 'unknown', 'unknown', 'unknown', 'unknown', 'get', 'cancel']);
    assert.deepEqual(log[0].body, { model: 'veo3', input: { prompt: 'p' } });
    assert.equal(log[0].taskId, undefined);
    assert.equal(log[7].taskId, id);
    assert.equal(log[7].path, `/api/v1/task/${id}`);
    assert.equal(log[7].body, null);
    assert.deepEqual([log[8].method, log[8].taskId], ['POST', id]);
    for (const entry of log) {
      assert.equal(entry.authorized, true);
      assert.equal(typeof entry.at, 'number');
    }
    assert.equal(emu.submitCount(), 1);
  });
});

check('httpStatusMirrorsCode: false -> error envelopes travel with HTTP 200', async () => {
  await withEmulator({ httpStatusMirrorsCode: false }, async (emu) => {
    const unauthorized = await call(emu, 'GET', '/api/v1/task/x', { key: null });
    assert.deepEqual([unauthorized.status, unauthorized.json], [200, { code: 401, msg: 'unauthorized' }]);
    const invalid = await submit(emu, 'veo3', {});
    assert.deepEqual([invalid.status, invalid.json.code], [200, 400]);
    const moderated = await submit(emu, 'veo3', { prompt: 'mock:moderation' });
    assert.deepEqual([moderated.status, moderated.json.code, moderated.json.data.flagged], [200, 400, true]);
    const missing = await getTask(emu, 'x');
    assert.deepEqual([missing.status, missing.json], [200, { code: 404, msg: 'task not found' }]);
    emu.injectFault({ route: 'get', type: 'status', status: 429 });
    assert.equal((await getTask(emu, 'x')).status, 429); // transport faults keep their real status
  });
});

check('callbacks: one POST per outcome (success, failure, timeout, cancel) with the GET envelope', async () => {
  const receiver = await startReceiver();
  try {
    await withEmulator({ latencyMs: 60_000 }, async (emu) => {
      const callBackUrl = receiver.url;
      const success = await submitOk(emu, 'seedance-2.0', { prompt: 'p mock:latency=30' }, { callBackUrl });
      const failure = await submitOk(emu, 'seedance-2.0', { prompt: 'p mock:latency=30 mock:fail=CONTENT_MODERATION' }, { callBackUrl });
      const timeout = await submitOk(emu, 'seedance-2.0', { prompt: 'p mock:latency=30 mock:timeout' }, { callBackUrl });
      const cancelled = await submitOk(emu, 'seedance-2.0', { prompt: 'p' }, { callBackUrl });
      const silent = await submitOk(emu, 'seedance-2.0', { prompt: 'p mock:latency=30' }); // no callBackUrl
      await cancel(emu, cancelled);
      await emu.waitFor(() => emu.callbacks.length >= 4);
      await sleep(150); // no duplicates arrive later
      assert.equal(emu.callbacks.length, 4);
      assert.equal(receiver.received.length, 4);
      const byId = Object.fromEntries(receiver.received.map((r) => [r.body.data.taskId, r]));
      assert.deepEqual(Object.keys(byId).sort(), [success, failure, timeout, cancelled].sort());
      for (const [id, status] of [[success, 'SUCCESS'], [failure, 'FAILURE'], [timeout, 'TIMEOUT'], [cancelled, 'CANCELLED']]) {
        const delivery = byId[id];
        assert.equal(delivery.method, 'POST');
        assert.equal(delivery.url, '/hook?token=abc');
        assert.match(delivery.headers['content-type'], /^application\/json/);
        assert.deepEqual(delivery.body, { code: 0, msg: 'ok', data: emu.getTask(id) });
        assert.equal(delivery.body.data.status, status);
      }
      assert.equal(byId[failure].body.data.failure_reason, 'CONTENT_MODERATION');
      const record = emu.callbacks.find((c) => c.taskId === success);
      assert.deepEqual({ ...record, at: 0 }, { taskId: success, url: callBackUrl, attempt: 1, status: 200, at: 0 });
      assert.equal(emu.getTask(silent).status, 'SUCCESS');
    });
  } finally {
    await receiver.close();
  }
});

check('callbacks: non-2xx is retried with doubling delay, stops after the first 2xx', async () => {
  const receiver = await startReceiver([500, 503, 200]);
  try {
    await withEmulator({ latencyMs: 20, callbackRetryDelayMs: 60 }, async (emu) => {
      const id = await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
      await emu.waitFor(() => emu.callbacks.some((c) => c.status === 200));
      await sleep(300);
      assert.deepEqual(emu.callbacks.map((c) => [c.taskId, c.attempt, c.status]), [[id, 1, 500], [id, 2, 503], [id, 3, 200]]);
      const [a, b, c] = emu.callbacks.map((x) => x.at);
      assert.ok(b - a >= 55, `first retry after ${b - a} ms`);
      assert.ok(c - b >= 115, `second retry after ${c - b} ms`);
      assert.equal(receiver.received.length, 3);
    });
  } finally {
    await receiver.close();
  }
});

check('callbacks: network errors retried callbackRetries times, then given up', async () => {
  const url = await closedPortUrl();
  await withEmulator({ latencyMs: 10, callbackRetries: 2, callbackRetryDelayMs: 20 }, async (emu) => {
    await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: url });
    await emu.waitFor(() => emu.callbacks.length === 3);
    await sleep(250);
    assert.deepEqual(emu.callbacks.map((c) => c.attempt), [1, 2, 3]);
    for (const c of emu.callbacks) {
      assert.equal(c.status, undefined);
      assert.match(c.error, /ECONNREFUSED/);
      assert.equal(c.url, url);
    }
  });
});

check('callbacks: an endpoint that never answers times out after callbackTimeoutMs', async () => {
  const receiver = await startReceiver(['hang']);
  try {
    await withEmulator({ latencyMs: 10, callbackRetries: 0, callbackTimeoutMs: 150 }, async (emu) => {
      await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
      const [attempt] = await emu.waitFor(() => emu.callbacks.length > 0 && emu.callbacks);
      assert.match(attempt.error, /no answer within 150 ms/);
      await sleep(200);
      assert.equal(emu.callbacks.length, 1);
    });
  } finally {
    await receiver.close();
  }
});

check('rejectLocalCallbacks: localhost / 127.x / ::1 / 0.0.0.0 refused with 400', async () => {
  await withEmulator({ rejectLocalCallbacks: true }, async (emu) => {
    for (const url of ['http://localhost:5678/hook', 'http://127.0.0.2/x', 'http://[::1]:8080/', 'https://0.0.0.0/cb']) {
      const res = await submit(emu, 'veo3', { prompt: 'p' }, { callBackUrl: url });
      assert.equal(res.status, 400, url);
      assert.deepEqual(res.json, { code: 400, msg: 'callBackUrl must not point to localhost' });
    }
    await submitOk(emu, 'veo3', { prompt: 'p mock:never' }, { callBackUrl: 'https://example.com/hook' });
    assert.equal(emu.tasks.size, 1);
  });
});

check('fault status: HTTP status + Retry-After, no task, count and route respected', async () => {
  await withEmulator({ latencyMs: 60_000 }, async (emu) => {
    emu.injectFault({ route: 'submit', type: 'status', status: 429, retryAfter: 7 });
    emu.injectFault({ route: 'get', type: 'status', status: 503, count: 2 });
    const limited = await submit(emu, 'veo3', { prompt: 'p' });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '7');
    assert.deepEqual(limited.json, { code: 429, msg: 'rate limited' });
    assert.equal(emu.tasks.size, 0);
    const id = await submitOk(emu, 'veo3', { prompt: 'p' });
    for (let i = 0; i < 2; i++) {
      const res = await getTask(emu, id);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), null);
      assert.deepEqual(res.json, { code: 503, msg: 'service unavailable' });
    }
    assert.equal((await getTask(emu, id)).status, 200);
    emu.injectFault({ route: 'any', type: 'status', status: 500 });
    emu.injectFault({ route: 'cancel', type: 'status', status: 502 });
    // An unauthorized request does not consume a fault.
    assert.equal((await call(emu, 'POST', `/api/v1/task/${id}/cancel`, { key: null })).status, 401);
    assert.deepEqual((await cancel(emu, id)).json, { code: 500, msg: 'internal error' });
    assert.deepEqual((await cancel(emu, id)).json, { code: 502, msg: 'bad gateway' });
    assert.equal(emu.getTask(id).status, 'PENDING');
    assert.equal(emu.submitCount(), 2);
    assert.throws(() => emu.injectFault({ type: 'explode' }), /fault\.type must be one of/);
    assert.throws(() => emu.injectFault({ route: 'files', type: 'reset' }), /fault\.route/);
    assert.throws(() => emu.injectFault({ type: 'status', status: 200 }), /fault\.status/);
  });
});

check('fault reset: submit creates the task then drops the connection; get/cancel just drop', async () => {
  await withEmulator({ latencyMs: 60_000 }, async (emu) => {
    emu.injectFault({ route: 'submit', type: 'reset' });
    await assert.rejects(submit(emu, 'veo3', { prompt: 'p' }), TypeError);
    assert.equal(emu.tasks.size, 1);
    const [id] = emu.tasks.keys();
    emu.injectFault({ route: 'get', type: 'reset' });
    await assert.rejects(getTask(emu, id), TypeError);
    emu.injectFault({ route: 'cancel', type: 'reset' });
    await assert.rejects(cancel(emu, id), TypeError);
    assert.equal(emu.getTask(id).status, 'PENDING');
    assert.equal((await getTask(emu, id)).status, 200);
  });
});

check('fault slow-body: headers at once, body spread over delayMs', async () => {
  await withEmulator({ latencyMs: 60_000 }, async (emu) => {
    const id = await submitOk(emu, 'veo3', { prompt: 'p' });
    emu.injectFault({ route: 'get', type: 'slow-body', delayMs: 500 });
    const { res, headersAfter, endAfter, chunks } = await timedGet(`${emu.baseUrl}/api/v1/task/${id}`, {
      authorization: `Bearer ${emu.apiKey}`,
    });
    assert.equal(res.statusCode, 200);
    assert.ok(headersAfter < 200, `headers after ${headersAfter} ms`);
    assert.ok(endAfter >= 450, `body complete after ${endAfter} ms`);
    assert.ok(chunks.length >= 5, `${chunks.length} chunks`);
    const body = JSON.parse(Buffer.concat(chunks).toString());
    assert.equal(body.data.taskId, id);
  });
});

check('fault envelope: HTTP 200 carrying an error code; oldest matching fault first', async () => {
  await withEmulator({}, async (emu) => {
    emu.injectFault({ route: 'any', type: 'envelope', code: 500, msg: 'first' });
    emu.injectFault({ route: 'get', type: 'envelope', code: 402, msg: 'second' });
    for (const expected of [{ code: 500, msg: 'first' }, { code: 402, msg: 'second' }]) {
      const res = await getTask(emu, 'x');
      assert.deepEqual([res.status, res.json], [200, expected]);
    }
    assert.equal((await getTask(emu, 'x')).status, 404);
  });
});

check('faults delay and hold: answered later with the state at arrival; release() and reset() send held answers', async () => {
  await withEmulator({}, async (emu) => {
    const id = await submitOk(emu, 'veo3', { prompt: 'p mock:never' });
    emu.injectFault({ route: 'get', type: 'delay', delayMs: 300 });
    const t0 = Date.now();
    const delayed = await getTask(emu, id);
    assert.ok(Date.now() - t0 >= 290, `answered after ${Date.now() - t0} ms`);
    assert.equal(delayed.json.data.taskId, id);

    emu.injectFault({ route: 'get', type: 'hold', count: 2 });
    const first = getTask(emu, id);
    await emu.waitFor(() => emu.heldCount() === 1);
    emu.finishTask(id);
    assert.equal(emu.release(), 1);
    assert.equal((await first).json.data.status, 'PENDING', 'a held answer keeps the state it was read in');
    const second = getTask(emu, id);
    await emu.waitFor(() => emu.heldCount() === 1);
    emu.reset();
    assert.equal((await second).json.data.status, 'SUCCESS');
    assert.throws(() => emu.injectFault({ route: 'get', type: 'delay' }), /delayMs/);
  });
});

check('finishTask, deliverCallback and configure: a test ends tasks and replays callbacks; reset() restores options', async () => {
  const receiver = await startReceiver([409]);
  try {
    await withEmulator({ callbackRetryDelayMs: 10 }, async (emu) => {
      emu.configure({ callbackRetries: 0 });
      assert.throws(() => emu.configure({ apiKey: 'x' }), /cannot be changed/);
      const id = await submitOk(emu, 'veo3', { prompt: 'p mock:never' }, { callBackUrl: receiver.url });
      const ended = emu.finishTask(id, { status: 'FAILURE', reason: 'INSUFFICIENT_POINTS' });
      assert.deepEqual([ended.status, ended.failure_reason], ['FAILURE', 'INSUFFICIENT_POINTS']);
      assert.throws(() => emu.finishTask(id), /already ended/);
      await emu.waitFor(() => emu.callbacks.length === 1);
      await sleep(50);
      assert.deepEqual(emu.callbacks.map((c) => c.status), [409], 'no retry with callbackRetries 0');
      emu.deliverCallback(id);
      await emu.waitFor(() => emu.callbacks.length === 2);
      assert.deepEqual(receiver.received.map((r) => r.body.data.status), ['FAILURE', 'FAILURE']);

      const control = async (name, body) =>
        (await fetch(`${emu.baseUrl}/__emulator/${name}`, { method: 'POST', body: JSON.stringify(body) })).json();
      const other = await submitOk(emu, 'veo3', { prompt: 'q mock:never' });
      assert.deepEqual(await control('finish', { taskId: other }), { ok: true });
      assert.equal(emu.getTask(other).status, 'SUCCESS');
      assert.equal((await control('finish', { taskId: 'nope' })).ok, false);
      assert.deepEqual(await control('options', { latencyMs: 5 }), { ok: true });
      emu.reset();
      const again = await submitOk(emu, 'veo3', { prompt: 'r' });
      assert.equal(emu.tasks.get(again).latencyMs, 3000, 'reset() restored latencyMs');
    });
  } finally {
    await receiver.close();
  }
});

check('file downloads are listed in fileRequests', async () => {
  await withEmulator({ latencyMs: 0 }, async (emu) => {
    const id = await submitOk(emu, 'veo3', { prompt: 'p' });
    const url = (await getTask(emu, id)).json.data.result.urls[0];
    await fetch(url);
    assert.deepEqual(emu.fileRequests, [`/files/${id}/0.mp4`]);
  });
});

check('control API over HTTP: faults, requests, callbacks, tasks, reset (not logged)', async () => {
  const receiver = await startReceiver();
  try {
    await withEmulator({ latencyMs: 20 }, async (emu) => {
      const control = async (method, name, body) => {
        const res = await fetch(`${emu.baseUrl}/__emulator/${name}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: res.status, json: await res.json() };
      };
      assert.deepEqual(await control('POST', 'faults', { route: 'submit', type: 'status', status: 503 }), { status: 200, json: { ok: true } });
      const bad = await control('POST', 'faults', { route: 'submit', type: 'nope' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.ok, false);
      assert.equal((await submit(emu, 'veo3', { prompt: 'p' })).status, 503);
      const id = await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url, user_id: 'u9' });
      await emu.waitFor(() => emu.callbacks.length === 1);
      const requests = await control('GET', 'requests');
      assert.deepEqual(requests.json, JSON.parse(JSON.stringify(emu.requests)));
      assert.equal(requests.json.length, 2);
      assert.deepEqual((await control('GET', 'callbacks')).json, JSON.parse(JSON.stringify(emu.callbacks)));
      const tasks = (await control('GET', 'tasks')).json;
      assert.deepEqual(tasks.map((t) => [t.taskId, t.status, t.callBackUrl, t.user_id]), [[id, 'SUCCESS', receiver.url, 'u9']]);
      assert.equal((await control('GET', 'nope')).status, 404);
      assert.deepEqual(await control('POST', 'reset'), { status: 200, json: { ok: true } });
      assert.deepEqual([emu.requests.length, emu.callbacks.length, emu.tasks.size], [0, 0, 0]);
    });
  } finally {
    await receiver.close();
  }
});

check('reset(): clears tasks, logs, faults and pending timers (no late callback)', async () => {
  const receiver = await startReceiver();
  try {
    await withEmulator({ latencyMs: 100 }, async (emu) => {
      const { requests, callbacks, tasks } = emu;
      await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
      emu.injectFault({ route: 'any', type: 'status', status: 500 });
      emu.reset();
      assert.ok(emu.requests === requests && emu.callbacks === callbacks && emu.tasks === tasks);
      assert.deepEqual([requests.length, callbacks.length, tasks.size], [0, 0, 0]);
      await sleep(200);
      assert.equal(receiver.received.length, 0);
      assert.equal((await getTask(emu, 'x')).status, 404); // the fault is gone too
    });
  } finally {
    await receiver.close();
  }
});

check('waitFor: resolves with the truthy value, rejects on timeout and on predicate errors', async () => {
  await withEmulator({}, async (emu) => {
    let n = 0;
    assert.equal(await emu.waitFor(() => ++n >= 3 && 'done'), 'done');
    const started = Date.now();
    await assert.rejects(emu.waitFor(() => false, 100), /within 100 ms/);
    assert.ok(Date.now() - started >= 95);
    await assert.rejects(emu.waitFor(() => {
      throw new Error('boom');
    }), /boom/);
    assert.equal(await emu.waitFor((e) => e === emu), true);
  });
});

check('GET /files/large/:bytes.mp4 streams exactly that many bytes (200 MB, flat memory)', async () => {
  await withEmulator({}, async (emu) => {
    const odd = await timedGet(`${emu.baseUrl}/files/large/100001.mp4`);
    assert.equal(odd.bytes, 100001);
    const rssBefore = process.memoryUsage().rss;
    const size = 200 * 1024 * 1024;
    const big = await timedGet(`${emu.baseUrl}/files/large/${size}.mp4`);
    assert.equal(big.res.headers['content-type'], 'video/mp4');
    assert.equal(big.res.headers['content-length'], String(size));
    assert.equal(big.bytes, size);
    const grewMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    assert.ok(grewMb < 100, `RSS grew by ${grewMb.toFixed(0)} MB`);
    // A client that gives up mid-download must not disturb the server.
    await new Promise((resolve, reject) => {
      const req = http.get(`${emu.baseUrl}/files/large/${size}.mp4`, (res) => res.once('data', () => req.destroy()));
      req.on('close', resolve).on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
    });
    assert.equal((await timedGet(`${emu.baseUrl}/files/large/5.mp4`)).bytes, 5);
  });
});

check('stop() is prompt with open keep-alive connections and a hanging callback', async () => {
  const receiver = await startReceiver(['hang']);
  try {
    const emu = createEmulator({ latencyMs: 10 });
    await emu.start();
    await submitOk(emu, 'veo3', { prompt: 'p' }, { callBackUrl: receiver.url });
    await emu.waitFor(() => receiver.received.length === 1);
    const agent = new http.Agent({ keepAlive: true });
    await new Promise((resolve) => http.get(`${emu.baseUrl}/files/large/10.mp4`, { agent }, (res) => res.resume().on('end', resolve)));
    const started = Date.now();
    await emu.stop();
    assert.ok(Date.now() - started < 500, `stop took ${Date.now() - started} ms`);
    agent.destroy();
  } finally {
    await receiver.close();
  }
});

check('a process exits on its own after stop(), even with pending task and retry timers', async () => {
  const script = `
    const { createEmulator } = require(${JSON.stringify(path.join(__dirname, 'server.js'))});
    (async () => {
      const emu = createEmulator({ latencyMs: 60000, callbackRetryDelayMs: 60000 });
      await emu.start();
      const post = (prompt) => fetch(emu.baseUrl + '/api/v1/task/submit', { method: 'POST',
        headers: { authorization: 'Bearer ' + emu.apiKey },
        body: JSON.stringify({ model: 'veo3', input: { prompt }, callBackUrl: 'http://127.0.0.1:1/hook' }) });
      await post('slow task');
      await post('mock:latency=0');
      await emu.waitFor(() => emu.callbacks.length === 1);
      await emu.stop();
      process.stdout.write('stopped');
    })();`;
  const started = Date.now();
  const { exited } = runNode(['-e', script]);
  const result = await waitForExit(exited, 5000, 'child process');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, 'stopped');
  assert.ok(Date.now() - started < 5000);
});

check('CLI: flags, env vars, printed hints, SIGTERM/SIGINT stop cleanly', async () => {
  const cli = runNode([CLI, '--latency', '100', '--reject-local-callbacks'], { MAXAPI_EMULATOR_PORT: '0' });
  const [, baseUrl] = await waitForOutput(cli, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
  const emu = { apiKey: DEFAULT_API_KEY, baseUrl };
  const local = await submit(emu, 'veo3', { prompt: 'p' }, { callBackUrl: 'http://localhost/x' });
  assert.equal(local.status, 400);
  const id = await submitOk(emu, 'veo3', { prompt: 'p' });
  await sleep(150);
  assert.equal((await getTask(emu, id)).json.data.status, 'SUCCESS');
  cli.child.kill('SIGTERM');
  const result = await waitForExit(cli.exited, 3000, 'CLI');
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /API key: maxapi-emulator-key/);
  assert.match(result.stdout, /mock:fail\[=REASON\].*mock:moderation/);
  assert.match(result.stdout, /\/__emulator\/faults/);
  assert.match(result.stdout, /stopped/);

  const viaEnv = runNode([CLI], { MAXAPI_EMULATOR_LATENCY_MS: '123', MAXAPI_EMULATOR_PORT: '0' });
  await waitForOutput(viaEnv, /Press Ctrl\+C/);
  viaEnv.child.kill('SIGINT');
  const envResult = await waitForExit(viaEnv.exited, 3000, 'CLI (env)');
  assert.equal(envResult.code, 0);
  assert.match(envResult.stdout, /Task latency: 123 ms/);

  const bad = await waitForExit(runNode([CLI, '--port', 'abc']).exited, 3000, 'CLI (bad args)');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid port/);
});

// ---- runner: each check must leave stdout/stderr untouched (the emulator never prints) ----
async function main() {
  const started = Date.now();
  let passed = 0;
  let failed = 0;
  for (const { name, fn } of checks) {
    const writes = [];
    const originals = [process.stdout.write, process.stderr.write];
    process.stdout.write = process.stderr.write = (chunk) => writes.push(String(chunk)) > 0;
    let error;
    try {
      await fn();
    } catch (err) {
      error = err;
    } finally {
      [process.stdout.write, process.stderr.write] = originals;
    }
    if (!error && writes.length > 0) error = new Error(`unexpected console output: ${writes.join('').slice(0, 200)}`);
    if (error) {
      failed++;
      console.log(`not ok - ${name}\n  ${String(error.stack ?? error).split('\n').slice(0, 6).join('\n  ')}`);
    } else {
      passed++;
      console.log(`ok - ${name}`);
    }
  }
  console.log(`took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main();
