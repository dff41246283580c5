// Types of setup.mjs, which stays plain JavaScript because it runs before node_modules exists.
export declare const CODE_SERVER_VERSION: string;
export declare const CACHE: string;
export declare const CODE_SERVER_DIR: string;
export declare const CODE_SERVER_BIN: string;
