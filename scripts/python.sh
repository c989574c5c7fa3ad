# Sourced by the other scripts: finds the two Pythons Neuvo needs.
# NEUVO_BOT_PYTHON / NEUVO_SERVICE_PYTHON override the search.

find_python() {  # find_python 3.10 [3.11 …]: the first interpreter of one of these versions
    local version candidate
    for version in "$@"; do
        for candidate in "$(command -v "python$version" 2>/dev/null)" \
                         "$HOME"/.pyenv/versions/"$version".*/bin/python \
                         /usr/local/bin/python"$version" /usr/bin/python"$version"; do
            if [ -n "$candidate" ] && [ -x "$candidate" ] \
               && "$candidate" -c "import sys, venv; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$version' else 1)" 2>/dev/null; then
                echo "$candidate"
                return 0
            fi
        done
    done
    return 1
}

bot_python() {
    [ -n "${NEUVO_BOT_PYTHON:-}" ] && { echo "$NEUVO_BOT_PYTHON"; return 0; }
    find_python 3.10 || { echo "error: Python 3.10 not found (Rasa 3.6 needs 3.8–3.10); see README 'Python 3.10'" >&2; return 1; }
}

service_python() {
    [ -n "${NEUVO_SERVICE_PYTHON:-}" ] && { echo "$NEUVO_SERVICE_PYTHON"; return 0; }
    find_python 3.12 3.13 3.11 || { echo "error: Python 3.11 or newer not found; see README" >&2; return 1; }
}
