// Log and export formats investigators meet, line by line. Times are passed
// as they must appear (a value or a {{ placeholder }}), so one clock can feed
// every file; each writer documents the zone its format implies.

/** A syslog line with an RFC 3339 time stamp, as rsyslog writes it: `2026-02-09T07:12:03Z mx1 postfix/smtpd[2211]: …`. */
export function syslogLine(time: string, host: string, program: string, pid: number, message: string): string {
  return `${time} ${host} ${program}[${pid}]: ${message}`;
}

/** Quotes a CSV field when it needs it (RFC 4180). Placeholders are left as they are. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV file with a header row, LF line endings and a final line break. */
export function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  return `${[header, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`;
}

/** A Squid native access.log line: unix time with milliseconds, elapsed ms, client, code/status, bytes, method, URL, user, hierarchy/peer, type. */
export function squidLine(unixTime: string, elapsedMs: number, client: string, status: string, bytes: number, method: string, url: string, user: string, peer: string, type: string): string {
  return `${unixTime.padStart(14)} ${String(elapsedMs).padStart(6)} ${client} ${status} ${bytes} ${method} ${url} ${user} ${peer} ${type}`;
}

/** A BIND query log line: `09-Feb-2026 07:12:03.120 queries: info: client @0x7f… 10.1.2.3#53211 (name): query: name IN A +E(0) (10.0.0.53)`. */
export function bindQueryLine(time: string, client: string, port: number, name: string, type: string, server: string): string {
  return `${time} queries: info: client @0x7f3a5c0012a0 ${client}#${port} (${name}): query: ${name} IN ${type} + (${server})`;
}

/** A Windows security event as exported to CSV or JSON (Get-WinEvent | Export-Csv / ConvertTo-Json). */
export interface WindowsEvent {
  TimeCreated: string;
  EventID: number;
  Computer: string;
  TargetUserName: string;
  IpAddress: string;
  LogonType?: number | undefined;
  Message: string;
}

export function windowsEventsCsv(events: readonly WindowsEvent[]): string {
  return csv(
    ['TimeCreated', 'EventID', 'Computer', 'TargetUserName', 'IpAddress', 'LogonType', 'Message'],
    events.map((e) => [e.TimeCreated, e.EventID, e.Computer, e.TargetUserName, e.IpAddress, e.LogonType ?? '', e.Message]),
  );
}

/** One JSON object per line (JSON Lines). Placeholders inside strings stay valid JSON once rendered if the values need no escaping. */
export function windowsEventsJsonl(events: readonly WindowsEvent[]): string {
  return `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
}
