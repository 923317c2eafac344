/** The part of sql.js (SQLite compiled to WebAssembly) the SQLite plugin fake uses. */
declare module 'sql.js' {
  type SqlValue = string | number | null | Uint8Array;
  interface Statement {
    bind(values: SqlValue[]): boolean;
    step(): boolean;
    getAsObject(): Record<string, SqlValue>;
    free(): boolean;
  }
  interface Database {
    run(sql: string, params?: SqlValue[]): Database;
    exec(sql: string): Array<{ columns: string[]; values: SqlValue[][] }>;
    prepare(sql: string): Statement;
    getRowsModified(): number;
    export(): Uint8Array;
    close(): void;
  }
  interface SqlJsStatic {
    Database: new (data?: Uint8Array) => Database;
  }
  export default function initSqlJs(): Promise<SqlJsStatic>;
}
