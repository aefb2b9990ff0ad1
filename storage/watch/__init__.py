"""Shared-folder watching, the inbox and its suggestions (issue 5). No Qt here: the window
wraps `WatchService` in `desktop.watcher`."""
