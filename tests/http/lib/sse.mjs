// Server-Sent Events read by hand, for the suites that follow live meetings (meeting,
// instances): the text/event-stream parsed as it arrives, and checks on the events' order.
import assert from 'node:assert/strict';
import http from 'node:http';
import { performance } from 'node:perf_hooks';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Opens `path` as an event stream. Resolves once the response head is in, with an object
// that collects the events as they arrive: { status, headers, events: [{ id, kind, data, at }],
// retry, comments, closed, body, close() }. A response that is not a stream (204, a
// redirect, 404) is read to its end.
export function openStream(base, path, { cookie, lastEventId, headers: extra = {}, timeout = 10_000 } = {}) {
  return new Promise((resolve, reject) => {
    const headers = { accept: 'text/event-stream', ...extra };
    if (cookie) headers.cookie = cookie;
    if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
    const req = http.request(base + path, { headers, agent: false });
    const timer = setTimeout(() => { req.destroy(); reject(new Error(`GET ${path}: no response head within ${timeout} ms`)); }, timeout);
    req.on('error', (err) => { clearTimeout(timer); reject(err); });
    req.on('response', (res) => {
      clearTimeout(timer);
      req.removeAllListeners('error');
      req.on('error', () => {});
      const s = {
        path, status: res.statusCode, headers: res.headers, events: [], retry: null, comments: 0,
        closed: false, body: '', lastId: lastEventId,
        close() { req.destroy(); res.destroy(); },
      };
      const isStream = /^text\/event-stream/.test(res.headers['content-type'] || '');
      let buf = '';
      let block = {};
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        s.body += isStream ? '' : chunk;
        if (!isStream) return;
        buf += chunk;
        let nl;
        while ((nl = buf.search(/\r\n|\r|\n/)) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + (buf.startsWith('\r\n', nl) ? 2 : 1));
          if (line === '') {
            if ('data' in block || 'event' in block || 'id' in block) {
              if ('id' in block) s.lastId = block.id;
              s.events.push({ id: Number(block.id), kind: block.event || 'message', data: block.data, at: performance.now() });
            }
            block = {};
            continue;
          }
          if (line.startsWith(':')) { s.comments++; continue; }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'retry') s.retry = Number(value);
          else if (field === 'data') block.data = 'data' in block ? `${block.data}\n${value}` : value;
          else if (field === 'id' || field === 'event') block[field] = value;
        }
      });
      const closed = () => { s.closed = true; };
      res.on('end', closed);
      res.on('close', closed);
      res.on('error', closed);
      resolve(s);
    });
    req.end();
  });
}

// Polls `ready` every few milliseconds until it is true; fails with `message()` after `ms`.
// A round's events after `after` from the JSON polling endpoint of the meeting screen, page
// by page as a poller reads them, through `client` (a Client of lib/server.mjs, logged in).
export async function eventsAfter(client, roundId, after) {
  const path = `/rondes/${roundId}/bijeenkomst/gebeurtenissen`;
  const all = [];
  for (;;) {
    const from = all.length ? all.at(-1).id : after;
    const res = await client.get(`${path}?na=${from}`);
    assert.equal(res.status, 200, `GET ${client.base}${path}?na=${from}`);
    assert.match(res.headers.get('content-type'), /^application\/json/, `GET ${path}: JSON`);
    const { events } = JSON.parse(res.text_);
    if (!events.length) return all;
    all.push(...events);
  }
}

// The number of the round's last event, 0 when it has none.
export async function lastEventId(client, roundId) {
  const events = await eventsAfter(client, roundId, 0);
  return events.length ? events.at(-1).id : 0;
}

export async function waitUntil(ready, ms, message) {
  const deadline = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(typeof message === 'function' ? message() : message);
    await sleep(5);
  }
}

// The first place where the ids of `events` do not increase, or null.
export function orderProblem(events) {
  for (let i = 1; i < events.length; i++) {
    if (!(events[i].id > events[i - 1].id)) return `event ${i} has id ${events[i].id} after id ${events[i - 1].id}`;
  }
  return null;
}

export const comparable = (events) => events.map((e) => ({ id: e.id, kind: e.kind, data: typeof e.data === 'string' ? JSON.parse(e.data) : e.data }));
