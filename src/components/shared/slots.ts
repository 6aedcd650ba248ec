import { clsx, type ClassValue } from 'clsx';

/** Styling props every styled component takes. */
export interface StyleProps<Part extends string> {
  /** Class on the root element, applied after the kit's classes. */
  className?: string | undefined;
  /** Classes per named part, applied after the kit's classes for that part. */
  classNames?: Partial<Record<Part, string>> | undefined;
  /** Drop the kit's classes (ARIA and `data-*` attributes stay) to style from scratch. @default false */
  unstyled?: boolean | undefined;
}

/**
 * Builds class names for a component's parts: `bpc-<component>` for the root and
 * `bpc-<component>__<part>` for parts, then the host's `classNames[part]` (and `className` on the root),
 * with the kit's own classes dropped when `unstyled`.
 */
export function slots<Part extends string>(component: string, props: StyleProps<Part>) {
  return (part: Part | 'root', extra?: ClassValue): string | undefined => {
    const root = part === 'root';
    return (
      clsx(!props.unstyled && [root ? `bpc-${component}` : `bpc-${component}__${part}`, extra], root ? props.className : props.classNames?.[part as Part]) ||
      undefined
    );
  };
}
