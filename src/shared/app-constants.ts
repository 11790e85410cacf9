/** Where the development/demo backend listens unless JK_PORT says otherwise (loopback only). */
export const DEFAULT_BACKEND_PORT = 4010;
export const DEFAULT_BACKEND_URL = `http://127.0.0.1:${DEFAULT_BACKEND_PORT}`;

/** The custom scheme the desktop app serves its renderer from (an origin CORS can name, unlike file://). */
export const APP_SCHEME = 'app';
export const APP_HOST = 'journalkontor';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
