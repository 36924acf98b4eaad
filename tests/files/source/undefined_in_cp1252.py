# byte  sin significado en cp1252
valor = 'a'
