ARG BASE=redis
FROM ${BASE}
# expect: PCS-DF-004 line 2
