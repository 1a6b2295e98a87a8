import { useEffect, useState } from 'react';
import { FormattedMessage } from 'react-intl';

/**
 * "Too many attempts. Try again in 42 seconds.", counting down. Screen readers
 * hear the sentence once (the hidden copy); the ticking copy is for the eyes.
 */
export function ThrottleNotice({ until, onDone }: { until: number; onDone: () => void }) {
  const [now, setNow] = useState(() => Date.now());
  const seconds = Math.max(0, Math.ceil((until - now) / 1000));
  const [initial] = useState(seconds);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (seconds <= 0) onDone();
  }, [seconds, onDone]);

  return (
    <>
      <span className="visually-hidden">
        <FormattedMessage id="errors.too_many_requests" values={{ seconds: initial }} />
      </span>
      <span aria-hidden="true">
        <FormattedMessage id="errors.too_many_requests" values={{ seconds }} />
      </span>
    </>
  );
}
