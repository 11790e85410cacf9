import type * as FsPromises from 'node:fs/promises';
import type { BrowserWindow } from 'electron';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DeskIpcError, isTrustedSender, registerIpcHandlers, type IpcSender } from '../../../src/main/ipc';
import { KeychainUnavailableError } from '../../../src/main/keychain';
import { DESK_CHANNELS, DESK_SAVE_PDF_MAX_BYTES } from '../../../src/shared/desk-api';
import { createMemorySecretStore } from './memory-secret-store';

// DESK-1: every IPC handler checks its sender first and parses its arguments; errors carry no data.

type Handler = (event: IpcSender, ...args: unknown[]) => Promise<unknown>;

const electron = vi.hoisted(() => ({
  handlers: new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>(),
  showSaveDialog: vi.fn(),
  writeFile: vi.fn(async (_path: string, _data: Uint8Array) => {}),
}));

vi.mock('node:fs/promises', async (importOriginal) => ({
  ...(await importOriginal<typeof FsPromises>()),
  writeFile: electron.writeFile,
}));

vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => Promise<unknown>) => {
      if (electron.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      electron.handlers.set(channel, handler);
    },
  },
  app: {
    getVersion: () => '0.1.0',
    getLocale: () => 'nb-NO',
    getPath: (name: string) => `/home/kari/${name}`,
  },
  dialog: { showSaveDialog: electron.showSaveDialog },
}));

const APP_PAGE = 'app://journalkontor/index.html';

describe('isTrustedSender', () => {
  const ours = { id: 1 };
  const isOurContents = (sender: unknown) => sender === ours;
  const mainFrame = (url: string) => ({ url, parent: null });

  it('trusts the main frame of our window on an app page', () => {
    expect(isTrustedSender({ sender: ours, senderFrame: mainFrame(APP_PAGE) }, isOurContents)).toBe(true);
    expect(isTrustedSender({ sender: ours, senderFrame: mainFrame('app://journalkontor/x#y') }, isOurContents)).toBe(true);
  });

  it.each([
    ['a null senderFrame (the frame is gone)', { sender: ours, senderFrame: null }],
    ['a subframe, even on an app page', { sender: ours, senderFrame: { url: APP_PAGE, parent: mainFrame(APP_PAGE) } }],
    ['another web contents', { sender: { id: 2 }, senderFrame: mainFrame(APP_PAGE) }],
    ['a page that navigated to https', { sender: ours, senderFrame: mainFrame('https://evil.com/') }],
    ['a lookalike host', { sender: ours, senderFrame: mainFrame('app://journalkontor.evil/index.html') }],
    ['userinfo before the host', { sender: ours, senderFrame: mainFrame('app://journalkontor@evil/') }],
    ['a file: page', { sender: ours, senderFrame: mainFrame('file:///opt/out/renderer/index.html') }],
    ['the loopback backend', { sender: ours, senderFrame: mainFrame('http://127.0.0.1:4010/') }],
    ['about:blank', { sender: ours, senderFrame: mainFrame('about:blank') }],
    ['an empty URL', { sender: ours, senderFrame: mainFrame('') }],
  ])('refuses %s', (_name, event) => {
    expect(isTrustedSender(event, isOurContents)).toBe(false);
  });

  it('refuses when reading senderFrame throws (a destroyed frame)', () => {
    const event = {
      sender: ours,
      get senderFrame(): never {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(isTrustedSender(event, isOurContents)).toBe(false);
  });
});

describe('registerIpcHandlers', () => {
  let store: ReturnType<typeof createMemorySecretStore>;
  let webContents: {
    print: ReturnType<typeof vi.fn>;
    printToPDF: ReturnType<typeof vi.fn>;
  };
  let window: BrowserWindow | null;

  const trustedEvent = (): IpcSender => ({ sender: webContents, senderFrame: { url: APP_PAGE, parent: null } });
  const invoke = (channel: string, event: IpcSender, ...args: unknown[]) => {
    const handler = electron.handlers.get(channel) as Handler | undefined;
    if (!handler) throw new Error(`no handler for ${channel}`);
    return handler(event, ...args);
  };

  beforeEach(() => {
    electron.handlers.clear();
    electron.showSaveDialog.mockReset();
    electron.writeFile.mockClear();
    store = createMemorySecretStore();
    webContents = {
      print: vi.fn((_options: unknown, callback: (success: boolean) => void) => callback(true)),
      printToPDF: vi.fn(async () => Buffer.from('%PDF')),
    };
    window = { isDestroyed: () => false, webContents } as unknown as BrowserWindow;
    registerIpcHandlers({ getMainWindow: () => window, secretStore: store, backendUrl: 'http://127.0.0.1:4010' });
  });

  it('registers exactly the named verbs', () => {
    expect([...electron.handlers.keys()].sort()).toEqual(Object.values(DESK_CHANNELS).sort());
  });

  it.each(Object.values(DESK_CHANNELS))('%s refuses an untrusted sender before looking at anything', async (channel) => {
    const getSpy = vi.spyOn(store, 'get');
    const setSpy = vi.spyOn(store, 'set');
    const events: IpcSender[] = [
      { sender: webContents, senderFrame: null },
      { sender: webContents, senderFrame: { url: APP_PAGE, parent: {} } },
      { sender: webContents, senderFrame: { url: 'https://evil.com/', parent: null } },
      { sender: { other: true }, senderFrame: { url: APP_PAGE, parent: null } },
    ];
    for (const event of events) {
      await expect(invoke(channel, event, {})).rejects.toThrow(new DeskIpcError('DESK_FORBIDDEN'));
    }
    expect(getSpy).not.toHaveBeenCalled();
    expect(setSpy).not.toHaveBeenCalled();
    expect(webContents.print).not.toHaveBeenCalled();
    expect(webContents.printToPDF).not.toHaveBeenCalled();
  });

  it('refuses everyone once the window is gone', async () => {
    const sender = trustedEvent();
    window = null;
    await expect(invoke(DESK_CHANNELS.appInfo, sender)).rejects.toThrow('DESK_FORBIDDEN');
  });

  it('app:info answers version, platform, backend and locale', async () => {
    await expect(invoke(DESK_CHANNELS.appInfo, trustedEvent())).resolves.toEqual({
      version: '0.1.0',
      platform: process.platform,
      backendUrl: 'http://127.0.0.1:4010',
      locale: 'nb-NO',
    });
  });

  it('keychain:get-device-id creates one id and keeps it', async () => {
    const first = await invoke(DESK_CHANNELS.getDeviceId, trustedEvent());
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    await expect(invoke(DESK_CHANNELS.getDeviceId, trustedEvent())).resolves.toBe(first);
  });

  it('remembers, reads and forgets a username', async () => {
    await expect(invoke(DESK_CHANNELS.getRememberedUsername, trustedEvent())).resolves.toBeNull();
    await invoke(DESK_CHANNELS.setRememberedUsername, trustedEvent(), 'kari.lege@example.no');
    await expect(invoke(DESK_CHANNELS.getRememberedUsername, trustedEvent())).resolves.toBe('kari.lege@example.no');
    await invoke(DESK_CHANNELS.setRememberedUsername, trustedEvent(), null);
    await expect(invoke(DESK_CHANNELS.getRememberedUsername, trustedEvent())).resolves.toBeNull();
    await invoke(DESK_CHANNELS.setRememberedUsername, trustedEvent(), 'x'.repeat(254));
    expect(store.entries.get('remembered-username')).toHaveLength(254);
  });

  it.each([
    ['too long', ['x'.repeat(255)]],
    ['a number', [42]],
    ['an object', [{ username: 'kari' }]],
    ['undefined', [undefined]],
    ['nothing', []],
    ['extra arguments', ['kari', 'extra']],
  ])('keychain:set-remembered-username rejects %s with a bare code', async (_name, args) => {
    const error = await invoke(DESK_CHANNELS.setRememberedUsername, trustedEvent(), ...args).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(DeskIpcError);
    expect((error as Error).message).toBe('DESK_BAD_REQUEST');
    expect(store.entries.size).toBe(0);
  });

  it.each([DESK_CHANNELS.appInfo, DESK_CHANNELS.getDeviceId, DESK_CHANNELS.getRememberedUsername])(
    '%s takes no arguments',
    async (channel) => {
      await expect(invoke(channel, trustedEvent(), 'unexpected')).rejects.toThrow('DESK_BAD_REQUEST');
    },
  );

  it('a keychain failure reaches the renderer as DESK_KEYCHAIN_UNAVAILABLE, without its cause', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    store.get = () => Promise.reject(new KeychainUnavailableError('Cannot autolaunch D-Bus', { cause: 'secret detail' }));
    const error = await invoke(DESK_CHANNELS.getDeviceId, trustedEvent()).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('DESK_KEYCHAIN_UNAVAILABLE');
    expect((error as Error).cause).toBeUndefined();
    consoleError.mockRestore();
  });

  it('any other failure is DESK_FAILED (the detail stays in the main log)', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    webContents.printToPDF.mockRejectedValue(new Error('/home/kari/secret path'));
    const error = await invoke(DESK_CHANNELS.printPdf, trustedEvent(), {}).catch((caught: unknown) => caught);
    expect((error as Error).message).toBe('DESK_FAILED');
    expect(consoleError).toHaveBeenCalled();
    consoleError.mockRestore();
  });

  it('print:dialog prints the window with the footer', async () => {
    await expect(invoke(DESK_CHANNELS.printDialog, trustedEvent(), { footer: 'Skrevet ut av Kari' })).resolves.toBe(true);
    expect(webContents.print).toHaveBeenCalledWith(
      expect.objectContaining({ silent: false, footer: 'Skrevet ut av Kari' }),
      expect.any(Function),
    );
  });

  it('print:pdf saves where the user chose, starting in Documents', async () => {
    electron.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    await expect(invoke(DESK_CHANNELS.printPdf, trustedEvent(), { suggestedFileName: 'Notat 2026.pdf' })).resolves.toBe(false);
    expect(electron.showSaveDialog).toHaveBeenCalledWith(
      window,
      expect.objectContaining({ defaultPath: '/home/kari/documents/Notat 2026.pdf' }),
    );
  });

  it.each([
    ['no options object', DESK_CHANNELS.printDialog, []],
    ['an unknown option', DESK_CHANNELS.printDialog, [{ silent: true }]],
    ['a device name', DESK_CHANNELS.printDialog, [{ deviceName: 'printer' }]],
    ['a footer with a newline', DESK_CHANNELS.printDialog, [{ footer: 'a\nb' }]],
    ['a too long footer', DESK_CHANNELS.printDialog, [{ footer: 'x'.repeat(301) }]],
    ['a path', DESK_CHANNELS.printPdf, [{ suggestedFileName: '../../.bashrc.pdf' }]],
    ['an absolute path', DESK_CHANNELS.printPdf, [{ suggestedFileName: '/etc/x.pdf' }]],
    ['a Windows path', DESK_CHANNELS.printPdf, [{ suggestedFileName: 'C:\\x.pdf' }]],
    ['a hidden file', DESK_CHANNELS.printPdf, [{ suggestedFileName: '.x.pdf' }]],
    ['not a pdf', DESK_CHANNELS.printPdf, [{ suggestedFileName: 'x.exe' }]],
    ['a NUL byte', DESK_CHANNELS.printPdf, [{ suggestedFileName: 'x\u0000.pdf' }]],
    ['html to print', DESK_CHANNELS.printPdf, [{ html: '<h1>x</h1>' }]],
  ])('print verbs reject %s', async (_name, channel, args) => {
    await expect(invoke(channel, trustedEvent(), ...args)).rejects.toThrow('DESK_BAD_REQUEST');
    expect(webContents.print).not.toHaveBeenCalled();
    expect(webContents.printToPDF).not.toHaveBeenCalled();
  });

  describe('print:save-pdf (JRN-5, DESK-3: the PDF the backend printed and logged)', () => {
    const pdf = Buffer.from('%PDF-1.3\n% Journalutskrift\n%%EOF\n');
    const request = (overrides: Record<string, unknown> = {}) => ({ pdfBase64: pdf.toString('base64'), suggestedFileName: 'journal-2026-02-01.pdf', ...overrides });

    it('writes the bytes only where the user chose, starting in Documents', async () => {
      electron.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/home/kari/Dokumenter/kari.pdf' });
      await expect(invoke(DESK_CHANNELS.savePdf, trustedEvent(), request())).resolves.toBe(true);
      expect(electron.showSaveDialog).toHaveBeenCalledWith(
        window,
        expect.objectContaining({ defaultPath: '/home/kari/documents/journal-2026-02-01.pdf', filters: [{ name: 'PDF', extensions: ['pdf'] }] }),
      );
      expect(electron.writeFile).toHaveBeenCalledExactlyOnceWith('/home/kari/Dokumenter/kari.pdf', pdf);
      expect(webContents.printToPDF).not.toHaveBeenCalled();
    });

    it('writes nothing when the user cancels', async () => {
      electron.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
      await expect(invoke(DESK_CHANNELS.savePdf, trustedEvent(), request())).resolves.toBe(false);
      expect(electron.writeFile).not.toHaveBeenCalled();
    });

    it('accepts a PDF of exactly the size limit', async () => {
      electron.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
      const largest = Buffer.alloc(DESK_SAVE_PDF_MAX_BYTES, 0x20);
      largest.write('%PDF-1.7', 0, 'latin1');
      await expect(invoke(DESK_CHANNELS.savePdf, trustedEvent(), request({ pdfBase64: largest.toString('base64') }))).resolves.toBe(false);
      expect(electron.showSaveDialog).toHaveBeenCalledOnce();
    });

    const tooLarge = Buffer.alloc(DESK_SAVE_PDF_MAX_BYTES + 1, 0x20);
    tooLarge.write('%PDF-1.7', 0, 'latin1');

    it.each([
      ['no request', []],
      ['an empty object', [{}]],
      ['no file name', [{ pdfBase64: pdf.toString('base64') }]],
      ['no document', [{ suggestedFileName: 'a.pdf' }]],
      ['an unknown field', [request({ path: '/etc/passwd' })]],
      ['a file name with a folder', [request({ suggestedFileName: '../../.bashrc.pdf' })]],
      ['an absolute path', [request({ suggestedFileName: '/etc/x.pdf' })]],
      ['a file name that is not .pdf', [request({ suggestedFileName: 'x.exe' })]],
      ['a document that is not a PDF', [request({ pdfBase64: Buffer.from('MZ\u0090\u0000 an executable').toString('base64') })]],
      ['HTML', [request({ pdfBase64: Buffer.from('<html><script>alert(1)</script></html>').toString('base64') })]],
      ['an empty document', [request({ pdfBase64: '' })]],
      ['text that is not base64', [request({ pdfBase64: '%PDF-1.7 plain text' })]],
      ['base64 of the wrong length', [request({ pdfBase64: `${pdf.toString('base64')}A` })]],
      ['a document over the size limit', [request({ pdfBase64: tooLarge.toString('base64') })]],
      ['a number', [request({ pdfBase64: 42 })]],
      ['bytes instead of base64', [request({ pdfBase64: pdf })]],
      ['extra arguments', [request(), 'extra']],
    ])('rejects %s with a bare code, before any dialog', async (_name, args) => {
      const error = await invoke(DESK_CHANNELS.savePdf, trustedEvent(), ...args).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DeskIpcError);
      expect((error as Error).message).toBe('DESK_BAD_REQUEST');
      expect(electron.showSaveDialog).not.toHaveBeenCalled();
      expect(electron.writeFile).not.toHaveBeenCalled();
    });

    it('a failed write is DESK_FAILED, without the path', async () => {
      const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
      electron.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/home/kari/secret/kari.pdf' });
      electron.writeFile.mockRejectedValueOnce(new Error("EACCES: permission denied, open '/home/kari/secret/kari.pdf'"));
      const error = await invoke(DESK_CHANNELS.savePdf, trustedEvent(), request()).catch((caught: unknown) => caught);
      expect((error as Error).message).toBe('DESK_FAILED');
      consoleError.mockRestore();
    });
  });
});
