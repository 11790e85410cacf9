// The formats live in src/shared so the server's printouts (JRN-5) say dates exactly as the app does.
export { formatCalendarDate, formatDate, formatDateTime, formatTime } from '../../../shared/oslo-time';
