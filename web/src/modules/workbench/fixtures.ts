import blockchainCsv from '../../../../scenarios/demo-extortion/evidence/blockchain-export.csv?raw';
import extortionEml from '../../../../scenarios/demo-extortion/evidence/extortion-email.eml?raw';
import gatewayLog from '../../../../scenarios/demo-extortion/evidence/mail-gateway.log?raw';
import customersCsv from '../../../../scenarios/demo-extortion/evidence/leaked-customers-sample.csv?raw';
import vpnCsv from '../../../../scenarios/demo-extortion/evidence/vpn-access.csv?raw';

/**
 * The demo scenario's evidence as a team receives it: the files of the
 * package with one team's values in place of their {{ variables }}. Test
 * fixtures only.
 */
export const sample = {
  victim_company: 'Valtrane',
  extortion_email: 'silent.ledger77@cloakpost-mail.net',
  sending_ip: '185.220.101.47',
  ransom_wallet: 'bc1qm34lsc65zpw79lxes69zkqmk6ee3ewf0j77s3h',
  ransom_amount: '2.3456',
  intermediate_wallet: 'bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh',
  deposit_wallet: 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
  suspect_name: 'Darius Kellner',
  suspect_username: 'ext-21066',
  suspect_email: 'd.kellner@cloakpost-mail.net',
  vpn_first_login: '2025-03-04T02:23:41Z',
} as const;

export function render(template: string): string {
  return template.replace(/\{\{\s*(\w+)\s*(?:\|\s*(\w+)\s*)?\}\}/g, (_, name: string, filter: string | undefined) => {
    const value: string = (sample as Record<string, string>)[name] ?? '';
    return filter === 'lower' ? value.toLowerCase() : filter === 'upper' ? value.toUpperCase() : value;
  });
}

export const demo = {
  email: render(extortionEml),
  gatewayLog: render(gatewayLog),
  vpn: render(vpnCsv),
  blockchain: render(blockchainCsv),
  customers: render(customersCsv),
};
