// Timeline probe (issue 21, s25b): NODE_OPTIONS="--import <this>" SPROUT_TIMELINE=<dir>.
// Server: TCP accept, request parsed, reply finished; product code marks the rest through globalThis.__sproutMark.
// Clients: request created, socket connected, body flushed, answer read.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { PerformanceObserver } from 'node:perf_hooks';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
const dir = process.env.SPROUT_TIMELINE;
const role = process.argv.includes('--sprout-load-clients') ? 'client' : process.argv.includes('serve') ? 'server' : null;
if (dir && role) {
  const t0 = performance.timeOrigin;
  const events = [];
  const mark = (e, id, n) => events.push([t0 + performance.now(), e, id ?? null, n ?? null]);
  globalThis.__sproutMark = mark;
  process.on('exit', () => {
    if (events.length > 0) writeFileSync(`${dir}/${role}-${process.pid}.json`, JSON.stringify({ pid: process.pid, role, events }));
  });
  if (role === 'server') {
    process.on('SIGTERM', () => { if (events.length > 0) writeFileSync(`${dir}/${role}-${process.pid}.json`, JSON.stringify({ pid: process.pid, role, events })); });
    new PerformanceObserver((list) => { for (const e of list.getEntries()) events.push([t0 + e.startTime, 'gc', String(e.detail?.kind ?? e.kind), e.duration]); }).observe({ entryTypes: ['gc'] });
    // Event loop lag: a 2 ms timer's lateness.
    let due = performance.now() + 2;
    setInterval(() => { const now = performance.now(); if (now - due > 3) mark('lag', undefined, now - due); due = now + 2; }, 2).unref();
    const emitNet = net.Server.prototype.emit;
    net.Server.prototype.emit = function (name, ...args) {
      if (name === 'connection') args[0].__acceptT = t0 + performance.now();
      if (name === 'request') {
        const [req, res] = args;
        const key = req.headers['idempotency-key'];
        if (key !== undefined) {
          events.push([req.socket.__acceptT ?? null, 'accept', key, null]);
          mark('parsed', key);
          res.on('finish', () => mark('finish', key, res.statusCode));
        }
      }
      return emitNet.call(this, name, ...args);
    };
  } else {
    const send = process.send;
    if (send) process.send = function (message, ...rest) {
      if (message?.kind === 'result') writeFileSync(`${dir}/${role}-${process.pid}.json`, JSON.stringify({ pid: process.pid, role, events }));
      return send.call(this, message, ...rest);
    };
    const original = http.request;
    http.request = function (options, cb) {
      const key = options?.headers?.['idempotency-key'];
      const req = original.call(this, options, cb);
      if (key !== undefined) {
        mark('csend', key);
        req.on('socket', (s) => { if (s.connecting) s.once('connect', () => mark('cconn', key)); else mark('creuse', key); });
        req.on('finish', () => mark('cflush', key));
        req.on('response', (res) => { mark('cresp', key, res.statusCode); res.on('end', () => mark('cend', key)); });
      }
      return req;
    };
    syncBuiltinESMExports();
  }
}
