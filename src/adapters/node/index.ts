/**
 * The Node adapter: writes the core's answers to a Node response (Express's
 * included) and gives the core what only Node can do (its Proxy check,
 * installed on load).
 */
import './proxy-check';

export { addVary, clearStaleHeaders, writeAnswer, type WriteOptions } from './write-answer';
