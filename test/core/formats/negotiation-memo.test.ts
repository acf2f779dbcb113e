import request from 'supertest';
import { passRegistry } from '../../../src';
import { appWith, express5Only } from '../../support/apps';

/**
 * The negotiator keeps the answer for each Accept value it has seen, up to a
 * bound. Whatever it keeps or forgets, every request must get the format its
 * own Accept asks for.
 */
describe.each(express5Only)('%s: negotiation with remembered Accept values', (_name, express) => {
  const app = appWith(express, {
    '/limited': () => {
      throw passRegistry.create('too_many_requests');
    },
  });

  /** Distinct values (more than are kept), preferring XML for odd i and JSON for even i. */
  const acceptFor = (i: number) => `application/json;q=0.5, application/xml;q=${i % 2 === 1 ? '0.9' : '0.1'}, x-unused/t${i}`;
  const expectedType = (i: number) => (i % 2 === 1 ? 'application/xml; charset=utf-8' : 'application/json; charset=utf-8');

  it('answers each request by its own Accept, for new, repeated and forgotten values', async () => {
    // 0–79 are new; then earlier values come back, some still kept and some forgotten.
    const sequence = [...Array.from({ length: 80 }, (_, i) => i), 79, 78, 3, 2, 1, 0, 79];
    const types: string[] = [];
    for (const i of sequence) {
      const res = await request(app).get('/limited').set('Accept', acceptFor(i)).expect(429);
      types.push(res.headers['content-type'] ?? '');
    }
    expect(types).toEqual(sequence.map(expectedType));
  });

  it('a very long Accept value is negotiated like any other', async () => {
    const long = `${'x-unused/padding, '.repeat(40)}application/xml`;
    for (let round = 0; round < 2; round++) {
      await request(app).get('/limited').set('Accept', long).expect(429).expect('Content-Type', 'application/xml; charset=utf-8');
      await request(app)
        .get('/limited')
        .set('Accept', 'application/json')
        .expect(429)
        .expect('Content-Type', 'application/json; charset=utf-8');
    }
  });
});
