import { serveToParent } from './child';
import { variantNamed } from './variants';

/**
 * One variant's server, started by bench/harness.ts in its own process so
 * that variants never share a heap or a JIT. It tells the parent its port
 * over IPC, answers 'cpu' with its CPU time so far (µs), and exits when the
 * parent goes away.
 */
serveToParent(variantNamed(process.argv[2]).createApp());
