alfa = 'ñ'
beta = 2
