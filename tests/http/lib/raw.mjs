// Helpers for the http suite: raw sockets for requests fetch cannot send, response parsing,
// multipart bodies and the security-header checks shared by several test files.
import net from 'node:net';
import assert from 'node:assert/strict';

// Parses the first HTTP response in `buf` (a Buffer). Returns null while it is incomplete.
export function parseResponse(buf, { complete = false } = {}) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1');
  const [statusLine, ...lines] = head.split('\r\n');
  const m = statusLine.match(/^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/);
  if (!m) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers = {};
  const all = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    all.push([name, value]);
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  }
  const rest = buf.subarray(end + 4);
  let body;
  if ('content-length' in headers) {
    const n = Number(headers['content-length']);
    if (rest.length < n) return null;
    body = rest.subarray(0, n);
  } else if (complete) {
    body = rest;
  } else {
    return null;
  }
  return {
    version: m[1], status: Number(m[2]), reason: m[3] || '', headers, rawHeaders: all,
    body: body.toString('utf8'), bodyBytes: body, text: buf.toString('utf8'),
  };
}

// Sends `chunks` (strings or Buffers; a number is a pause in ms) over a fresh TCP connection
// and resolves with the first response, or { status: 0, error } when the connection ends
// without one. Never rejects.
export function rawRequest(port, chunks, { timeout = 5000 } = {}) {
  if (!Array.isArray(chunks)) chunks = [chunks];
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => finish({ status: 0, error: 'timeout', text: buf.toString('utf8') }), timeout);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      try {
        const r = parseResponse(buf);
        if (r) finish(r);
      } catch (e) {
        finish({ status: 0, error: e.message, text: buf.toString('utf8') });
      }
    });
    const ended = (err) => {
      let r = null;
      try { r = buf.length ? parseResponse(buf, { complete: true }) : null; } catch { /* */ }
      finish(r || { status: 0, error: err ? err.code || String(err) : 'closed', text: buf.toString('utf8') });
    };
    sock.on('end', () => ended());
    sock.on('close', () => ended());
    sock.on('error', (e) => ended(e));
    sock.on('connect', async () => {
      for (const c of chunks) {
        if (done) return;
        if (typeof c === 'number') await new Promise((r) => setTimeout(r, c));
        else if (!sock.destroyed) sock.write(c);
      }
    });
  });
}

// A connection that sends `data` and then holds the socket open without finishing.
export function openSlowConnection(port, data) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1', () => { sock.write(data); resolve(sock); });
    sock.on('error', () => { /* the server may close it; that is fine */ });
    sock.once('error', reject);
  });
}

// A multipart/form-data body. files: { field: { filename, type, data (Buffer|string) } }.
export function multipart(fields = {}, files = {}, boundary = '----gidsgrens' + Math.random().toString(16).slice(2)) {
  const parts = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    parts.push(Buffer.from(String(value)));
    parts.push(Buffer.from('\r\n'));
  }
  for (const [name, f] of Object.entries(files)) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    parts.push(Buffer.isBuffer(f.data) ? f.data : Buffer.from(f.data));
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

// A 1x1 PNG, plus optional padding inside the file (after IEND) to reach a given size.
export function png(size = 0) {
  const base = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64');
  return size > base.length ? Buffer.concat([base, Buffer.alloc(size - base.length, 0)]) : base;
}

export const CSP_REQUIRED = ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"];

// The security headers every response must carry. `label` names the request in messages.
export function assertSecurityHeaders(get, label) {
  const csp = get('content-security-policy');
  assert.ok(csp, `${label}: Content-Security-Policy missing`);
  for (const part of CSP_REQUIRED) assert.ok(csp.includes(part), `${label}: CSP lacks ${part}: ${csp}`);
  assert.ok(!csp.includes("'unsafe-inline'"), `${label}: CSP allows 'unsafe-inline': ${csp}`);
  assert.ok(!csp.includes("'unsafe-eval'"), `${label}: CSP allows 'unsafe-eval': ${csp}`);
  assert.equal(get('x-content-type-options'), 'nosniff', `${label}: X-Content-Type-Options`);
  assert.equal(get('referrer-policy'), 'same-origin', `${label}: Referrer-Policy`);
}

// Strict CSP: no inline script, no inline style, no inline event handlers.
export function assertNoInlineCode(html, label) {
  const inlineScript = html.match(/<script\b(?![^>]*\bsrc\s*=)[^>]*>/i);
  assert.equal(inlineScript, null, `${label}: inline <script> without src: ${inlineScript && inlineScript[0]}`);
  const styleAttr = html.match(/<[a-z][^>]*\sstyle\s*=[^>]*>/i);
  assert.equal(styleAttr, null, `${label}: style= attribute: ${styleAttr && styleAttr[0]}`);
  const styleEl = html.match(/<style[\s>]/i);
  assert.equal(styleEl, null, `${label}: <style> element`);
  const handler = html.match(/<[a-z][^>]*\son[a-z]+\s*=[^>]*>/i);
  assert.equal(handler, null, `${label}: inline event handler: ${handler && handler[0]}`);
  const jsUrl = html.match(/(?:href|src|action)\s*=\s*"\s*javascript:/i);
  assert.equal(jsUrl, null, `${label}: javascript: URL`);
}

// The text of an HTML page with tags removed and entities of interest decoded, for
// searching messages.
export function textOf(html) {
  return html.replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'").replace(/&#x27;/g, "'").replace(/\s+/g, ' ');
}

// The value attribute of the input with the given id (or null).
export function inputValue(html, id) {
  const tag = html.match(new RegExp(`<input\\b[^>]*\\bid="${id}"[^>]*>`));
  if (!tag) return null;
  const v = tag[0].match(/\bvalue="([^"]*)"/);
  return v ? v[1] : null;
}

// The error message rendered next to a field (the <p id="FIELD-error">), or null.
export function fieldError(html, field) {
  const m = html.match(new RegExp(`id="${field}-error"[^>]*>([^<]*)<`));
  return m ? m[1] : null;
}

export function htmlEscape(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Crash and sanitizer reports in a server log.
export const CRASH = /AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:|Segmentation fault|terminate called/;

// The essence of a crash report in a server log (first line, first frames, summary), or ''.
export function crashReport(log) {
  const at = log.search(CRASH);
  if (at < 0) return '';
  const lines = log.slice(at).split('\n');
  const frames = lines.filter((l) => /^\s+#\d+ /.test(l)).slice(0, 6).map((l) => l.replace(/ \/usr\/include\/.*$/, '').slice(0, 200));
  const summary = lines.find((l) => l.startsWith('SUMMARY:')) || '';
  return [lines[0], ...frames, summary].join('\n');
}

// Why a server stopped answering: its exit status or signal and any crash report.
export function deathNote(server) {
  const { exitCode, signalCode } = server.proc;
  const state = exitCode !== null ? `exited with ${exitCode}` : signalCode ? `killed by ${signalCode}` : 'not (yet) exited';
  const report = crashReport(server.log());
  return `server ${state}${report ? `\n${report}` : ''}`;
}
