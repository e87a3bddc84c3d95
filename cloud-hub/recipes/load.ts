/**
 * Recipes from files: a path, or the name of a recipe shipped in recipes/shipped/ (so
 * `edgehive train --recipe pump-anomaly` works without knowing where the package lives).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EdgehiveError } from '../../shared/errors/index.ts';
import type { Recipe } from './schema.ts';
import { parseRecipe } from './validate.ts';

export const SHIPPED_DIR = fileURLToPath(new URL('./shipped/', import.meta.url));

/** Names of the shipped recipes (file names without .json), sorted. */
export function shippedRecipeNames(): string[] {
  return readdirSync(SHIPPED_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/** Parses recipe JSON text; `what` names it in errors. */
export function parseRecipeText(text: string, what: string): Recipe {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new EdgehiveError('EH_RECIPE_INVALID', `${what} is not valid JSON: ${(e as Error).message}`);
  }
  return parseRecipe(json, what);
}

/** Reads and validates a recipe file. EH_NOT_FOUND when it is missing, EH_RECIPE_INVALID when it is wrong. */
export function loadRecipe(file: string): Recipe {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new EdgehiveError(code === 'ENOENT' ? 'EH_NOT_FOUND' : 'EH_RECIPE_INVALID', `cannot read recipe ${file}: ${(e as Error).message}`);
  }
  return parseRecipeText(text, `recipe ${basename(file)}`);
}

/** A path to a recipe file, or a shipped recipe's name (e.g. "pump-anomaly"). */
export function resolveRecipe(pathOrName: string): Recipe {
  if (existsSync(pathOrName)) return loadRecipe(pathOrName);
  const shipped = join(SHIPPED_DIR, `${pathOrName}.json`);
  if (/^[A-Za-z0-9_-]+$/.test(pathOrName) && existsSync(shipped)) return loadRecipe(shipped);
  throw new EdgehiveError('EH_NOT_FOUND', `no recipe file "${pathOrName}" and no shipped recipe of that name; shipped recipes: ${shippedRecipeNames().join(', ')}`);
}
