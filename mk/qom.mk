# qom
