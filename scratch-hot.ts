import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import accepts from 'accepts';
import { enhancedErrorHandler, passRegistry } from './src';
import { createErrorPipeline } from './src/handler/handler';
import { requestIds } from './src/handler/request-context';
import { writeResponse } from './src/handler/headers';

const handler = enhancedErrorHandler({ log: false });
const pipeline = createErrorPipeline({ log: false });
function mk(accept?: string) {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET'; req.headers = accept ? { accept } : {};
  const res = new ServerResponse(req) as ServerResponse & { locals: Record<string, unknown> };
  res.locals = {};
  return { req, res };
}
const err = passRegistry.create('too_many_requests', { retryAfter: 30 });
function time(name: string, fn: () => void, n = 50000) {
  for (let i = 0; i < 5000; i++) fn();
  const s = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  console.log(name.padEnd(40), (Number(process.hrtime.bigint() - s) / n / 1000).toFixed(2), 'µs');
}
time('mk req/res', () => { mk('application/json'); });
time('create error', () => { passRegistry.create('too_many_requests', { retryAfter: 30 }); });
time('handler json', () => { const { req, res } = mk('application/json'); handler(err, req, res, () => {}); });
time('handler xml', () => { const { req, res } = mk('application/xml'); handler(err, req, res, () => {}); });
time('handler no accept', () => { const { req, res } = mk(); handler(err, req, res, () => {}); });
const { req } = mk('application/json');
const { req: reqx } = mk('application/xml');
time('negotiate json', () => { pipeline.negotiate(req); });
time('negotiate xml', () => { pipeline.negotiate(reqx); });
time('accepts().type', () => { accepts(req).type(['application/json', 'application/xml', 'text/xml']); });
time('normalize', () => { pipeline.normalize(err); });
time('requestIds', () => { const { req, res } = mk('application/json'); requestIds(req, res, pipeline.ids); });
time('randomUUID', () => { crypto.randomUUID(); });
time('writeResponse', () => { const { req, res } = mk('application/json'); writeResponse(req, res, { status: 429, contentType: 'application/json; charset=utf-8', vary: ['Accept'] }, '{"a":1}'); });
import { setSafeHeader } from './src/handler/headers';
import vary from 'vary';
console.log('---');
for (let r = 0; r < 2; r++) {
time('handler json', () => { const { req, res } = mk('application/json'); handler(err, req, res, () => {}); }, 200000);
time('handler xml', () => { const { req, res } = mk('application/xml'); handler(err, req, res, () => {}); }, 200000);
time('mk req/res', () => { mk('application/json'); }, 200000);
time('negotiate json', () => { pipeline.negotiate(req); }, 200000);
time('requestIds', () => { const { req, res } = mk('application/json'); requestIds(req, res, pipeline.ids); }, 200000);
time('setSafeHeader', () => { const { res } = mk('application/json'); setSafeHeader(res, 'X-Request-Id', 'abc-123'); }, 200000);
time('setHeader', () => { const { res } = mk('application/json'); res.setHeader('X-Request-Id', 'abc-123'); }, 200000);
time('vary', () => { const { res } = mk('application/json'); vary(res, 'Accept'); }, 200000);
time('writeResponse', () => { const { req, res } = mk('application/json'); writeResponse(req, res, { status: 429, contentType: 'application/json; charset=utf-8', vary: ['Accept'] }, '{"a":1}'); }, 200000);
time('buildEnvelope', () => { pipeline.buildEnvelope(err, req, 'abc'); }, 200000);
}
