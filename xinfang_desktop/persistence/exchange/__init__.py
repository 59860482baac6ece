"""上报数据包 (issue 14): the county's read of what changed since its last package, the city's store of what came."""
