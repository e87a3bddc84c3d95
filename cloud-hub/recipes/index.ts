/** Recipes: the schema, validation and loading (shipped ones included). */
export * from './schema.ts';
export { DEFAULT_SPLIT, parseRecipe, recipeProblems, splitFractions } from './validate.ts';
export { friendlySchemaProblems } from './schema-problems.ts';
export { loadRecipe, parseRecipeText, resolveRecipe, shippedRecipeNames, SHIPPED_DIR } from './load.ts';
