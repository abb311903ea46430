# coroutine
