# websock
