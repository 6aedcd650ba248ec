import { describe, expect, it, vi } from 'vitest';
import { BillPayError } from '../../src/core/index.js';
import { createConfirmMachine, type ConfirmTask } from '../../src/core/confirm.js';
import { deferred } from '../support/deferred.js';

/** A task whose run is answered by hand, recording the signals it was given. */
function handTask() {
  const gate = deferred<string>();
  const signals: AbortSignal[] = [];
  const committed: string[] = [];
  const task = {
    operation: 'deleteConnection',
    run: vi.fn((signal: AbortSignal) => {
      signals.push(signal);
      return gate.promise.then((answer) => () => {
        committed.push(answer);
        return answer;
      });
    }),
    onDone: vi.fn(),
    onError: vi.fn(),
  } satisfies ConfirmTask<string>;
  return { task, gate, signals, committed };
}

describe('createConfirmMachine', () => {
  it('walks idle -> confirming -> busy -> done, naming busy and done as asked, and notifies each change', async () => {
    const machine = createConfirmMachine<'removing', 'removed', string>('removing', 'removed');
    const listener = vi.fn();
    machine.subscribe(listener);
    expect(machine.getSnapshot()).toEqual({ status: 'idle', connection: undefined, error: undefined });
    machine.request();
    expect(machine.getSnapshot().status).toBe('confirming');
    const { task, gate } = handTask();
    const pending = machine.confirm(task);
    expect(machine.getSnapshot().status).toBe('removing');
    gate.resolve('gone');
    await expect(pending).resolves.toBe('gone');
    expect(machine.getSnapshot()).toEqual({ status: 'removed', connection: 'gone', error: undefined });
    expect(task.onDone).toHaveBeenCalledExactlyOnceWith('gone');
    expect(task.onError).not.toHaveBeenCalled();
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('keeps the same snapshot object until something changes', () => {
    const machine = createConfirmMachine('busy', 'done');
    const before = machine.getSnapshot();
    machine.cancel();
    expect(machine.getSnapshot()).toBe(before);
  });

  it('commits the answer before the state changes, so an abort the commit causes (an unmount) cannot swallow the callbacks', async () => {
    const machine = createConfirmMachine<'busy', 'done', string>('busy', 'done');
    const order: string[] = [];
    machine.request();
    await machine.confirm({
      operation: 'deleteConnection',
      run: () =>
        Promise.resolve(() => {
          order.push(`commit while ${machine.getSnapshot().status}`);
          machine.abort();
          return 'ok';
        }),
      onDone: () => order.push(`onDone while ${machine.getSnapshot().status}`),
      onError: () => order.push('onError'),
    });
    expect(order).toEqual(['commit while busy', 'onDone while done']);
  });

  it('ignores confirm unless confirming or failed, and cancel while busy', async () => {
    const machine = createConfirmMachine<'busy', 'done', string>('busy', 'done');
    const { task, gate } = handTask();
    await expect(machine.confirm(task)).resolves.toBeUndefined();
    expect(task.run).not.toHaveBeenCalled();
    machine.request();
    const pending = machine.confirm(task);
    machine.cancel();
    machine.request();
    expect(machine.getSnapshot().status).toBe('busy');
    gate.resolve('ok');
    await pending;
    expect(machine.getSnapshot().status).toBe('done');
  });

  it('runs one action for repeated confirms while busy, all sharing its promise', async () => {
    const machine = createConfirmMachine<'busy', 'done', string>('busy', 'done');
    const { task, gate } = handTask();
    machine.request();
    const a = machine.confirm(task);
    const b = machine.confirm(task);
    expect(b).toBe(a);
    gate.resolve('ok');
    await a;
    expect(task.run).toHaveBeenCalledTimes(1);
    expect(task.onDone).toHaveBeenCalledTimes(1);
  });

  it('lands a failure in error with a typed error, stays open for a retry, and cancels from there', async () => {
    const machine = createConfirmMachine<'busy', 'done', string>('busy', 'done');
    const first = handTask();
    machine.request();
    const pending = machine.confirm(first.task);
    first.gate.reject(new TypeError('Failed to fetch'));
    await expect(pending).resolves.toBeUndefined();
    const { error } = machine.getSnapshot();
    expect(error).toBeInstanceOf(BillPayError);
    expect(error).toMatchObject({ code: 'network', operation: 'deleteConnection' });
    expect(first.task.onError).toHaveBeenCalledExactlyOnceWith(error);
    machine.request();
    expect(machine.getSnapshot().status).toBe('error');
    const second = handTask();
    const retry = machine.confirm(second.task);
    second.gate.resolve('ok');
    await expect(retry).resolves.toBe('ok');
    expect(machine.getSnapshot()).toEqual({ status: 'done', connection: 'ok', error: undefined });
  });

  it('cancels from error, and reset returns to idle from anywhere', async () => {
    const machine = createConfirmMachine<'busy', 'done', string>('busy', 'done');
    const { task, gate } = handTask();
    machine.request();
    const pending = machine.confirm(task);
    gate.reject(new BillPayError('timeout'));
    await pending;
    machine.cancel();
    expect(machine.getSnapshot()).toEqual({ status: 'idle', connection: undefined, error: undefined });
    machine.request();
    machine.reset();
    expect(machine.getSnapshot().status).toBe('idle');
  });

  it('aborts the action in flight and then neither changes state nor calls back, but commits an answer that still arrives', async () => {
    const machine = createConfirmMachine<'busy', 'done', string>('busy', 'done');
    const { task, gate, signals, committed } = handTask();
    machine.request();
    const pending = machine.confirm(task);
    machine.abort();
    expect(signals[0]?.aborted).toBe(true);
    gate.resolve('late');
    await pending;
    expect(committed).toEqual(['late']);
    expect(machine.getSnapshot().status).toBe('busy');
    expect(task.onDone).not.toHaveBeenCalled();
    expect(task.onError).not.toHaveBeenCalled();
  });

  it('stops notifying a listener once it unsubscribes', () => {
    const machine = createConfirmMachine('busy', 'done');
    const listener = vi.fn();
    machine.subscribe(listener)();
    machine.request();
    expect(listener).not.toHaveBeenCalled();
  });
});
