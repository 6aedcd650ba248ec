import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CodatProvider, ConnectButton, PlatformPicker } from '../../src/index.js';
import { createSandbox } from '../../src/sandbox/index.js';
import { hostTone, luminance } from '../../src/components/shared/host-tone.js';
import { companyId } from '../hooks/helpers.js';

describe('luminance', () => {
  it.each([
    ['rgb(255, 255, 255)', 1],
    ['rgb(0, 0, 0)', 0],
    ['rgb(10, 10, 10)', 0.003],
    ['rgba(17, 24, 39, 0.9)', 0.011],
    ['color(srgb 1 1 1)', 1],
    ['oklch(0.145 0 0)', 0.003],
    ['oklch(98.5% 0 0)', 0.956],
    ['rgb(128, 128, 128)', 0.216],
    ['lab(4 0 0)', 0.001],
  ])('reads %s as about %f', (color, expected) => {
    expect(luminance(color)).toBeCloseTo(expected, 1);
  });

  it.each(['rgba(0, 0, 0, 0)', 'transparent', 'rgb(0 0 0 / 0.2)', 'oklch(0.2 0 0 / 10%)', 'var(--x)', ''])('treats %j as no background, so the page behind decides', (color) => {
    expect(luminance(color)).toBeUndefined();
  });
});

function place(html: string) {
  document.body.innerHTML = html;
  return document.getElementById('kit') as HTMLElement;
}

describe('hostTone', () => {
  it('takes the nearest opaque background behind the element', () => {
    expect(hostTone(place('<div style="background-color: #0a0a0a"><div style="background-color: rgba(0,0,0,0)"><div id="kit"></div></div></div>'))).toBe('dark');
    expect(hostTone(place('<div style="background-color: #0a0a0a"><div style="background-color: #f9fafb"><div id="kit"></div></div></div>'))).toBe('light');
  });

  it('leaves the choice to a theme marker above the kit', () => {
    for (const marker of ['data-theme="light"', 'data-theme="dark"', 'class="dark"', 'class="light"', 'data-bpc-tone="dark"']) {
      expect(hostTone(place(`<div ${marker} style="background-color: #000"><div id="kit"></div></div>`))).toBeUndefined();
    }
  });

  it('falls back to a light canvas when nothing behind the kit has a background', () => {
    expect(hostTone(place('<div><div id="kit"></div></div>'))).toBe('light');
  });
});

describe('styled components on a host page', () => {
  const sandbox = () => createSandbox({ seed: { companies: [{ id: companyId, name: 'Acme' }] } });

  it('mark their root with the tone of the page behind them, before the first paint', () => {
    const host = document.createElement('div');
    host.style.backgroundColor = '#0a0a0a';
    document.body.append(host);
    const { container } = render(
      <CodatProvider fetcher={sandbox().fetcher} companyId={companyId}>
        <ConnectButton />
        <PlatformPicker />
      </CodatProvider>,
      { container: host },
    );
    expect(container.querySelector('.bpc-connect')).toHaveAttribute('data-bpc-tone', 'dark');
    expect(container.querySelector('.bpc-picker')).toHaveAttribute('data-bpc-tone', 'dark');
    host.remove();
  });

  it('leave the tone to an explicit data-theme, and to the host when unstyled', () => {
    const { container } = render(
      <div data-theme="light" style={{ backgroundColor: '#000' }}>
        <CodatProvider fetcher={sandbox().fetcher} companyId={companyId}>
          <ConnectButton />
        </CodatProvider>
      </div>,
    );
    expect(container.querySelector('.bpc-connect')).not.toHaveAttribute('data-bpc-tone');
    const plain = render(
      <div style={{ backgroundColor: '#000' }}>
        <CodatProvider fetcher={sandbox().fetcher} companyId={companyId}>
          <ConnectButton unstyled />
        </CodatProvider>
      </div>,
    );
    expect(plain.container.querySelector('[data-status]')).not.toHaveAttribute('data-bpc-tone');
  });
});
