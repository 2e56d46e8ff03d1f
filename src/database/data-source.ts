import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Entry point for the TypeORM CLI (`npm run migration:run`). It reads DATABASE_URL itself
 * because it runs outside the app; the app builds its options from AppConfig.
 */
const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set to run migrations from the command line');
export default new DataSource(dataSourceOptions(url, 2));
