import { useEffect, useRef, useState } from 'react';
import type { CodatClient } from '../../core/index.js';

/** What a logo image is doing. */
type LogoStatus = 'loading' | 'loaded' | 'failed';

/** The platform's logo URL on the proxy when logos are on and the key can name one. */
export function logoSource(client: CodatClient, platformKey: string | undefined, showLogos: boolean | undefined): string | undefined {
  if (!(showLogos ?? client.logos) || platformKey === undefined || !/^[a-z]{4}$/.test(platformKey)) return undefined;
  return client.logoUrl(platformKey);
}

/**
 * A platform's mark: its monogram, with the logo from `logoUrl` laid over it once the image has loaded. Until
 * then, and for good when it fails, the monogram shows: no broken-image icon, and the box keeps its size so
 * nothing moves. Decorative (`aria-hidden`, `alt=""`): the platform's name is always written beside it.
 * Render it with `key={logoUrl}`, so another URL starts from loading again.
 */
export function PlatformMark(props: {
  platformKey: string | undefined;
  monogram: string;
  logoUrl: string | undefined;
  className: string | undefined;
  logoClassName: string | undefined;
}) {
  const [status, setStatus] = useState<LogoStatus>('loading');
  const image = useRef<HTMLImageElement>(null);

  useEffect(() => {
    // A server-rendered image can load, or fail, before hydration attaches onLoad and onError.
    const element = image.current;
    if (element?.complete) setStatus(element.naturalWidth > 0 ? 'loaded' : 'failed');
  }, []);

  const shown = props.logoUrl !== undefined && status !== 'failed';
  return (
    <span className={props.className} data-platform={props.platformKey} data-logo={shown ? status : undefined} aria-hidden="true">
      {shown && status === 'loaded' ? null : props.monogram}
      {shown ? (
        <img
          ref={image}
          className={props.logoClassName}
          src={props.logoUrl}
          alt=""
          width={40}
          height={40}
          decoding="async"
          loading="lazy"
          data-loaded={status === 'loaded' ? '' : undefined}
          onLoad={() => setStatus('loaded')}
          onError={() => setStatus('failed')}
        />
      ) : null}
    </span>
  );
}
