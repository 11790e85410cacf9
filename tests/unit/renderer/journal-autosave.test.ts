import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AutosaveController, type AutosaveState } from '../../../src/renderer/src/features/journal/autosave';

// JRN-2: drafts autosave a moment after the last change; saves never overlap; nothing typed is lost.

function setup(save: (value: string) => Promise<void> = async () => {}) {
  const states: AutosaveState['status'][] = [];
  const saved: string[] = [];
  const controller = new AutosaveController<string>({
    delayMs: 1500,
    save: async (value) => {
      await save(value);
      saved.push(value);
    },
    onState: (state) => states.push(state.status),
    now: () => new Date('2026-02-01T12:00:00Z'),
  });
  return { controller, states, saved };
}

describe('AutosaveController', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves once, 1.5 s after the last change, the latest value', async () => {
    const { controller, saved, states } = setup();
    controller.schedule('H');
    await vi.advanceTimersByTimeAsync(1000);
    controller.schedule('He');
    await vi.advanceTimersByTimeAsync(1000);
    controller.schedule('Hei');
    expect(saved).toEqual([]);
    expect(controller.hasUnsavedChanges).toBe(true);
    await vi.advanceTimersByTimeAsync(1499);
    expect(saved).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(saved).toEqual(['Hei']);
    expect(controller.hasUnsavedChanges).toBe(false);
    expect(states.at(-1)).toBe('saved');
    expect(states).toContain('saving');
  });

  it('never runs two saves at once: a change during a save is saved after it', async () => {
    let release: () => void = () => {};
    let running = 0;
    let maxRunning = 0;
    const { controller, saved } = setup(async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise<void>((resolve) => {
        release = () => {
          running--;
          resolve();
        };
      });
    });
    controller.schedule('first');
    await vi.advanceTimersByTimeAsync(1500);
    controller.schedule('second');
    await vi.advanceTimersByTimeAsync(1500);
    expect(saved).toEqual([]);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(['first']);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(saved).toEqual(['first', 'second']);
    expect(maxRunning).toBe(1);
  });

  it('flush saves at once, without waiting for the timer, and the timer then saves nothing more', async () => {
    const { controller, saved } = setup();
    controller.schedule('before signing');
    await controller.flush();
    expect(saved).toEqual(['before signing']);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual(['before signing']);
  });

  it('flush with nothing pending does nothing', async () => {
    const { controller, saved, states } = setup();
    await controller.flush();
    expect(saved).toEqual([]);
    expect(states).toEqual([]);
  });

  it('a failed save keeps the text, says so, and the next flush saves it', async () => {
    let fail = true;
    const { controller, saved, states } = setup(async () => {
      if (fail) throw new Error('offline');
    });
    controller.schedule('kept');
    await vi.advanceTimersByTimeAsync(1500);
    expect(states.at(-1)).toBe('error');
    expect(controller.hasUnsavedChanges).toBe(true);
    await expect(controller.flush()).rejects.toThrow('offline');
    fail = false;
    await controller.flush();
    expect(saved).toEqual(['kept']);
    expect(states.at(-1)).toBe('saved');
  });

  it('a failed save does not overwrite newer text typed meanwhile', async () => {
    let calls = 0;
    const { controller, saved } = setup(async () => {
      calls++;
      if (calls === 1) throw new Error('offline');
    });
    controller.schedule('old');
    const first = controller.flush().catch(() => {});
    controller.schedule('new');
    await first;
    await controller.flush();
    expect(saved).toEqual(['new']);
  });

  it('after dispose no timer fires', async () => {
    const { controller, saved } = setup();
    controller.schedule('x');
    controller.dispose();
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual([]);
  });

  it('DESK-4: a save the network failed is tried again by itself; a refusal is not', async () => {
    let calls = 0;
    const saved: string[] = [];
    const controller = new AutosaveController<string>({
      delayMs: 1500,
      retryDelayMs: 5000,
      shouldRetry: (error) => (error as Error).message === 'network',
      save: async (value) => {
        calls++;
        if (calls <= 2) throw new Error(value === 'refused' ? 'refused' : 'network');
        saved.push(value);
      },
    });
    controller.schedule('text');
    await vi.advanceTimersByTimeAsync(1500);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toBe(2);
    await vi.advanceTimersByTimeAsync(5000);
    expect(saved).toEqual(['text']);
    expect(controller.hasUnsavedChanges).toBe(false);

    calls = 0;
    const refusing = new AutosaveController<string>({
      delayMs: 1500,
      retryDelayMs: 5000,
      shouldRetry: (error) => (error as Error).message === 'network',
      save: async () => {
        calls++;
        throw new Error('refused');
      },
    });
    refusing.schedule('refused');
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBe(1);
    expect(refusing.hasUnsavedChanges).toBe(true);
  });
});
