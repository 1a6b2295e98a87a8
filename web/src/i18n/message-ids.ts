/**
 * The typed list of message ids, taken from the English catalogue of each
 * module, so that `<FormattedMessage id>` and `t(id)` only accept ids that exist.
 * Adding a web module with messages: add one line below.
 */
import type common from '../modules/common/messages/en.json';
import type auth from '../modules/auth/messages/en.json';
import type home from '../modules/home/messages/en.json';
import type profile from '../modules/profile/messages/en.json';
import type users from '../modules/users/messages/en.json';
import type organisations from '../modules/organisations/messages/en.json';
import type audit from '../modules/audit/messages/en.json';
import type security from '../modules/security/messages/en.json';
import type scenarios from '../modules/scenarios/messages/en.json';
import type exercises from '../modules/exercises/messages/en.json';
import type play from '../modules/play/messages/en.json';
import type partners from '../modules/partners/messages/en.json';
import type sharing from '../modules/sharing/messages/en.json';
import type casefile from '../modules/casefile/messages/en.json';
import type legal from '../modules/legal/messages/en.json';
import type advice from '../modules/advice/messages/en.json';
import type workbench from '../modules/workbench/messages/en.json';
import type reports from '../modules/reports/messages/en.json';

type Catalogues = typeof common & typeof auth & typeof home & typeof profile & typeof users & typeof organisations & typeof audit & typeof security & typeof scenarios & typeof exercises & typeof play & typeof partners & typeof sharing & typeof casefile & typeof legal & typeof advice & typeof workbench & typeof reports;

export type MessageId = keyof Catalogues & string;

declare global {
  // Registers our ids with react-intl / @formatjs/intl (declaration merging).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace FormatjsIntl {
    interface Message {
      ids: MessageId;
    }
  }
}
