import type { NewAuditEvent } from '../../src/domain/audit.js';
import type { BrokerMode } from '../../src/protocol/methods/system.js';
import type { Store } from '../../src/store/database.js';
import type { BrokerLink } from '../broker-link.js';

/** What scheduled jobs reach: the store, the broker link, the audit trail. */
export interface JobDeps {
  store: Store;
  link: BrokerLink;
  mode: BrokerMode;
  audit(event: NewAuditEvent): Promise<void>;
}
