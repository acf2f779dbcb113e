import { types } from 'node:util';
import { useProxyCheck } from '../../core/normalize/plain-fields';

// Node can tell a Proxy from its target; the core cannot, so the Node side
// hands it Node's check when loaded (every Node writer imports this module).
useProxyCheck(types.isProxy);
