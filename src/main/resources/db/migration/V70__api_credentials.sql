-- Machine credentials of the HTTP API (ApiCredentials): created by the operator, each bound to a tenant, roles and
-- rights. Only a SHA-256 of the secret is kept; the key id is the public half that finds the row.
CREATE TABLE api_credential (
    id                     BIGSERIAL PRIMARY KEY,
    name                   TEXT        NOT NULL UNIQUE,
    key_id                 TEXT        NOT NULL UNIQUE,
    secret_sha256          BYTEA       NOT NULL,
    -- the previous secret stays valid until previous_valid_until after a rotation (clients switch without a gap)
    previous_secret_sha256 BYTEA,
    previous_valid_until   TIMESTAMPTZ,
    tenant                 TEXT        NOT NULL,
    roles                  TEXT[]      NOT NULL DEFAULT '{}',
    rights                 TEXT[]      NOT NULL DEFAULT '{}',
    acts_for_users         BOOLEAN     NOT NULL DEFAULT false,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    rotated_at             TIMESTAMPTZ,
    expires_at             TIMESTAMPTZ,
    revoked_at             TIMESTAMPTZ,
    last_used_at           TIMESTAMPTZ,
    CONSTRAINT api_credential_rights CHECK (rights <@ ARRAY['push', 'retrieve', 'sync', 'requeue', 'reconcile']::TEXT[]),
    CONSTRAINT api_credential_name CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'),
    CONSTRAINT api_credential_tenant CHECK (tenant ~ '^(\*|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$')
);
