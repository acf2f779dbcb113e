/** `express-enhanced-errors/logging`: handled errors as structured log data, for pino and alike. */
export { errorLogFields, logErrors, type ErrorLogFields, type ErrorLogger, type LogErrorsOptions } from './log-errors';
