/** Test fixtures are made by code and repeatable: the project's one seeded PRNG. */
export { seeded } from '../../shared/random/seeded.ts';
