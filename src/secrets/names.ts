/**
 * The rules for a secret's name, as the server checks them (colab_ext/secrets/store.py): Colab's,
 * spelled as environment variables are.
 */

/** Letters, digits and underscores, not starting with a digit. */
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The longest name the server accepts. */
export const MAX_NAME_LENGTH = 128;

/** Why `name` cannot name a new secret, in words; null when it can. */
export function secretNameProblem(
  name: string,
  taken: readonly string[] = []
): string | null {
  if (name.length === 0) {
    return 'Give the secret a name.';
  }
  if (name.length > MAX_NAME_LENGTH) {
    return `A name has at most ${MAX_NAME_LENGTH} characters.`;
  }
  if (/^[0-9]/.test(name)) {
    return 'A name must not start with a digit.';
  }
  if (!NAME_PATTERN.test(name)) {
    const bad = [...name].find(c => !/[A-Za-z0-9_]/.test(c)) ?? '';
    const shown = bad === ' ' ? 'spaces' : `"${bad}"`;
    return `A name may contain only letters, digits and underscores (_), not ${shown}.`;
  }
  if (taken.includes(name)) {
    return `There is already a secret named ${name}.`;
  }
  return null;
}

/** The dots shown instead of a value that was not asked for. */
export const HIDDEN_VALUE = '\u2022'.repeat(10);
