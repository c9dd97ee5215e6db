#!/usr/bin/env node
/**
 * demo-app: a small HTTP service for canary demos and tests, instrumented in Prometheus text format.
 * Its behaviour (errors, latency, crashes) comes from the environment; see README.md.
 */
import http from 'node:http';
import { ConfigError, readConfig } from './config.mjs';
import { CONTENT_TYPE, Counter, Gauge, Histogram, processMetrics, renderMetrics } from './metrics.mjs';

const startTimeSeconds = Math.round(Date.now() - process.uptime() * 1000) / 1000;
const log = (message) => console.log(`${new Date().toISOString()} demo-app: ${message}`);

let config;
try {
  config = readConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`demo-app: ${error.message}`);
  process.exit(1);
}
if (config.crash) {
  console.error('demo-app: DEMO_CRASH is set: exiting with code 1 (simulated crash at start)');
  process.exit(1);
}

const version = config.demoVersion ?? config.appVersion ?? 'dev';
const requestsTotal = new Counter('http_requests_total', 'HTTP requests served, by status code.', [
  'code',
  'method',
  'path',
]);
const requestDuration = new Histogram('http_request_duration_seconds', 'HTTP request latency in seconds.', [
  'code',
  'method',
  'path',
]);
const info = new Gauge('demo_app_info', 'Version and track of this demo-app instance.', () => [
  { labels: { version, track: config.track ?? '' }, value: 1 },
]);
let inFlight = 0;
const inFlightGauge = new Gauge('http_requests_in_flight', 'Requests to / currently being served.', () => [
  { value: inFlight },
]);
const metrics = [requestsTotal, requestDuration, inFlightGauge, info, ...processMetrics(startTimeSeconds)];

const ROUTES = new Set(['/', '/healthz', '/metrics']);
const window = { requests: 0, errors: 0 };
let totalRequests = 0;
let shuttingDown = false;

function send(res, status, contentType, body) {
  const headers = { 'content-type': contentType, 'content-length': Buffer.byteLength(body) };
  if (shuttingDown) headers.connection = 'close';
  res.writeHead(status, headers);
  res.end(body);
}

function sendJson(res, status, value) {
  send(res, status, 'application/json', `${JSON.stringify(value)}\n`);
}

function serveApp(res) {
  inFlight += 1;
  res.on('close', () => (inFlight -= 1));
  const slow = config.slowFraction > 0 && Math.random() < config.slowFraction;
  const delayMs = config.latencyMs + (slow ? config.slowMs : 0);
  const answer = () => {
    if (config.errorRate > 0 && Math.random() < config.errorRate) {
      sendJson(res, 500, { error: `simulated failure (DEMO_ERROR_RATE=${config.errorRate})` });
      return;
    }
    sendJson(res, 200, {
      service: 'demo-app',
      version,
      appVersion: config.appVersion,
      track: config.track,
      hostname: config.hostname,
    });
  };
  if (delayMs > 0) setTimeout(answer, delayMs);
  else answer();
}

function handle(req, res) {
  const started = process.hrtime.bigint();
  const pathname = new URL(req.url ?? '/', 'http://demo-app').pathname;
  const path = ROUTES.has(pathname) ? pathname : 'other';
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = { code: String(res.statusCode), method: req.method, path };
    requestsTotal.inc(labels);
    requestDuration.observe(labels, seconds);
    window.requests += 1;
    totalRequests += 1;
    if (res.statusCode >= 500) window.errors += 1;
  });
  if (path === '/') serveApp(res);
  else if (path === '/healthz') send(res, 200, 'text/plain; charset=utf-8', 'ok\n');
  else if (path === '/metrics') send(res, 200, CONTENT_TYPE, renderMetrics(metrics));
  else sendJson(res, 404, { error: `no route for ${pathname}` });
}

const server = http.createServer(handle);

const summaryTimer = setInterval(() => {
  const share = window.requests ? ((100 * window.errors) / window.requests).toFixed(1) : '0.0';
  const seconds = config.summaryIntervalMs / 1000;
  log(
    `last ${seconds}s: ${window.requests} requests, ${window.errors} errors (${share}%); total ${totalRequests}`,
  );
  window.requests = 0;
  window.errors = 0;
}, config.summaryIntervalMs);

function shutdown(signal) {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`received ${signal}, shutting down after ${totalRequests} requests`);
  clearInterval(summaryTimer);
  server.close(() => {
    log('stopped');
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    log('requests still in flight after 20s; exiting anyway');
    process.exit(0);
  }, 20_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

server.on('error', (error) => {
  console.error(`demo-app: cannot listen on ${config.host}:${config.port}: ${error.code ?? error.message}`);
  process.exit(1);
});
server.listen(config.port, config.host, () => {
  const { address, port } = server.address();
  const host = address.includes(':') ? `[${address}]` : address;
  const settings = [
    `errorRate=${config.errorRate}`,
    `latencyMs=${config.latencyMs}`,
    `slowFraction=${config.slowFraction}`,
    `slowMs=${config.slowMs}`,
  ].join(' ');
  log(
    `version ${version} track ${config.track ?? '-'} listening on http://${host}:${port} pid ${process.pid} (${settings})`,
  );
});
