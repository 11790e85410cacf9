import { test } from '@playwright/test';
import { BackendProcess } from './backend-process';

/**
 * One backend for the tests of a file: started before them (the first start, with migrations and
 * the demo seed, is slow on a busy machine, hence the longer hook timeout) and disposed after.
 */
export function backendForFile(): () => BackendProcess {
  let backend: BackendProcess | undefined;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    backend = await BackendProcess.create();
    await backend.start();
  });
  test.afterAll(async () => {
    await backend?.dispose();
  });
  return () => {
    if (!backend) throw new Error('the backend is started in beforeAll');
    return backend;
  };
}
