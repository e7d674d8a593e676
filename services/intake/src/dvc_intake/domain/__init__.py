"""Pure intake rules: dossier codes and accepted document types."""
