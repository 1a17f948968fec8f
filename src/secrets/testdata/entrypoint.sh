#!/bin/sh
set -eu
# Credentials come from the orchestrator; defaults only for local runs.
: "${DB_PASSWORD:=}"
export PGPASSWORD="$DB_PASSWORD"
export REGISTRY_TOKEN='{{REGISTRY_TOKEN}}'
curl -fsS -H "Authorization: Bearer {{SERVICE_JWT}}" https://config.acme.internal/v1/settings > /etc/orders/settings.json
mysql --user=orders --password={{MYSQL_PASSWORD}} -h db -e 'select 1'
if [ "$PASSWORD" = "" ]; then echo "no password given"; fi
exec node server.js --api-key="$API_KEY"
