/*
 * A stand-in for the mtg binary, for local-node tests only: the real mtg release cannot be
 * downloaded here. It does NOT speak MTProto. It proves what lifeline controls:
 *   - it is started as `mtg run <config>` by the rendered unit;
 *   - it reads the rendered config: it binds `bind-to` and answers each connection with the
 *     `secret` it found, so a test can match it against the link;
 *   - like mtg, it prints each client's address to stdout and stderr, so a test can prove the
 *     unit discards relay output and no address reaches the journal or /var/log.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int read_value(const char *path, const char *key, char *out, size_t size) {
  FILE *f = fopen(path, "r");
  char line[1024];
  size_t keylen = strlen(key);
  if (!f) return -1;
  while (fgets(line, sizeof line, f)) {
    char *start, *end;
    if (strncmp(line, key, keylen) != 0 || (line[keylen] != ' ' && line[keylen] != '=')) continue;
    start = strchr(line, '"');
    end = start ? strchr(start + 1, '"') : NULL;
    if (!start || !end || (size_t)(end - start - 1) >= size) break;
    memcpy(out, start + 1, (size_t)(end - start - 1));
    out[end - start - 1] = '\0';
    fclose(f);
    return 0;
  }
  fclose(f);
  return -1;
}

int main(int argc, char **argv) {
  char secret[512], bind_to[128], reply[600];
  struct sockaddr_in addr;
  char *colon;
  int server, one = 1;

  if (argc != 3 || strcmp(argv[1], "run") != 0) {
    fprintf(stderr, "usage: mtg run <config.toml>\n");
    return 2;
  }
  if (read_value(argv[2], "secret", secret, sizeof secret) != 0 ||
      read_value(argv[2], "bind-to", bind_to, sizeof bind_to) != 0) {
    fprintf(stderr, "mtg stand-in: %s lacks secret or bind-to\n", argv[2]);
    return 1;
  }
  colon = strrchr(bind_to, ':');
  if (!colon) return 1;
  *colon = '\0';
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(colon + 1));
  if (inet_pton(AF_INET, bind_to, &addr.sin_addr) != 1) return 1;

  signal(SIGPIPE, SIG_IGN);
  server = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(server, 128) != 0) {
    perror("mtg stand-in: listen");
    return 1;
  }
  snprintf(reply, sizeof reply, "lifeline-mtg-standin secret=%s\n", secret);
  for (;;) {
    struct sockaddr_in peer;
    socklen_t len = sizeof peer;
    char who[INET_ADDRSTRLEN] = "?";
    int client = accept(server, (struct sockaddr *)&peer, &len);
    if (client < 0) continue;
    inet_ntop(AF_INET, &peer.sin_addr, who, sizeof who);
    printf("client %s:%d connected\n", who, ntohs(peer.sin_port));
    fflush(stdout);
    fprintf(stderr, "client %s connected\n", who);
    if (write(client, reply, strlen(reply)) < 0) { /* the client left; nothing to do */ }
    close(client);
  }
}
