import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DESK_API_VERBS, DESK_CHANNELS, type DeskApi } from '../../../src/shared/desk-api';

// DESK-1: the preload exposes one object of named verbs, never ipcRenderer or a free channel.

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: { invoke: electron.invoke, send: vi.fn(), on: vi.fn() },
}));

await import('../../../src/preload/index');

const desk = electron.exposed.get('desk') as DeskApi;

describe('preload', () => {
  beforeEach(() => {
    electron.invoke.mockReset();
  });

  it('exposes exactly one object, window.desk, with exactly the named verbs', () => {
    expect([...electron.exposed.keys()]).toEqual(['desk']);
    expect(Object.keys(desk).sort()).toEqual([...DESK_API_VERBS].sort());
    for (const verb of DESK_API_VERBS) expect(desk[verb]).toBeTypeOf('function');
  });

  it('leaks no ipcRenderer, invoke or send', () => {
    const values = Object.values(desk) as unknown[];
    expect(values).not.toContain(electron.invoke);
    expect(JSON.stringify(Object.keys(desk))).not.toMatch(/ipc|invoke|send|on\b/i);
  });

  it.each([
    ['getAppInfo', [], DESK_CHANNELS.appInfo, []],
    ['getDeviceId', [], DESK_CHANNELS.getDeviceId, []],
    ['getRememberedUsername', [], DESK_CHANNELS.getRememberedUsername, []],
    ['setRememberedUsername', ['kari'], DESK_CHANNELS.setRememberedUsername, ['kari']],
    ['setRememberedUsername', [null], DESK_CHANNELS.setRememberedUsername, [null]],
    ['printWithDialog', [], DESK_CHANNELS.printDialog, [{}]],
    ['printWithDialog', [{ footer: 'x' }], DESK_CHANNELS.printDialog, [{ footer: 'x' }]],
    ['printToPdf', [], DESK_CHANNELS.printPdf, [{}]],
    ['printToPdf', [{ suggestedFileName: 'a.pdf' }], DESK_CHANNELS.printPdf, [{ suggestedFileName: 'a.pdf' }]],
    ['savePdf', [{ pdfBase64: 'JVBERi0=', suggestedFileName: 'a.pdf' }], DESK_CHANNELS.savePdf, [{ pdfBase64: 'JVBERi0=', suggestedFileName: 'a.pdf' }]],
  ] as const)('%s(%j) invokes %s with %j', async (verb, args, channel, sent) => {
    electron.invoke.mockResolvedValue('answer');
    await expect((desk[verb] as (...a: unknown[]) => Promise<unknown>)(...args)).resolves.toBe('answer');
    expect(electron.invoke).toHaveBeenCalledExactlyOnceWith(channel, ...sent);
  });

  it.each([
    ["Error invoking remote method 'app:info': DeskIpcError: DESK_FORBIDDEN", 'DESK_FORBIDDEN'],
    ["Error invoking remote method 'x': Error: DESK_BAD_REQUEST", 'DESK_BAD_REQUEST'],
    ["Error invoking remote method 'x': Error: DESK_KEYCHAIN_UNAVAILABLE", 'DESK_KEYCHAIN_UNAVAILABLE'],
    ["Error invoking remote method 'x': Error: something with /home/kari/path", 'DESK_FAILED'],
  ])('turns %j into the bare code %s', async (message, code) => {
    electron.invoke.mockRejectedValue(new Error(message));
    await expect(desk.getAppInfo()).rejects.toThrow(new Error(code));
  });
});
