"""Operations: Prometheus metrics, structured logs without personal data, the request observer."""
