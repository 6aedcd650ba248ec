import { describe, expect, it } from 'vitest';
import { createCompanyGate, type Release } from '../../src/server/company-gate.js';

const never = new AbortController().signal;

describe('createCompanyGate', () => {
  it('hands places out in arrival order and forgets a company once it is idle', async () => {
    const gate = createCompanyGate(1, 10);
    const order: string[] = [];
    const first = (await gate.acquire('a', never)) as Release;
    const [x, y] = ['x', 'y'].map((name) => gate.acquire('a', never).then((release) => (order.push(name), release as Release)));
    first();
    (await x!)();
    const last = await y!;
    expect(order).toEqual(['x', 'y']);
    expect(gate.size).toBe(1);
    last();
    expect(gate.size).toBe(0);
  });

  it('gives a place back only once, however often release is called', async () => {
    const gate = createCompanyGate(2, 10);
    const first = (await gate.acquire('a', never)) as Release;
    await gate.acquire('a', never);
    first();
    first();
    // One place was free after the first release; a second release of the same place frees nothing more.
    await gate.acquire('a', never);
    const queued = gate.acquire('a', new AbortController().signal);
    let granted = false;
    void queued.then(() => (granted = true));
    await Promise.resolve();
    expect(granted).toBe(false);
  });

  it('removes a waiter whose signal aborts, with the signal’s reason, and keeps the queue bound', async () => {
    const gate = createCompanyGate(1, 1);
    const held = (await gate.acquire('a', never)) as Release;
    const client = new AbortController();
    const leaving = gate.acquire('a', client.signal);
    expect(await gate.acquire('a', never)).toBe('full');
    client.abort(new Error('gone'));
    await expect(leaving).rejects.toThrow('gone');
    const next = gate.acquire('a', never);
    held();
    expect(typeof (await next)).toBe('function');
  });
});
