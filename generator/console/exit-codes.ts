// Exit codes shared by every command (SPEC §5).
export const EXIT_OK = 0;
/** Some input has a 错误 (check and report alike; report still writes its documents), or some output could not be written. */
export const EXIT_PROBLEMS = 1;
/** Unknown option, missing argument, unreadable or invalid plan file. */
export const EXIT_USAGE = 2;
