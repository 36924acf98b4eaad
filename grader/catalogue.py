"""The message catalogue: every sentence a student or instructor reads, in Spanish and English side by
side, by key. Grading stores keys and parameters (:mod:`grader.messages`); renderers turn them into these
words in the language asked for."""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("es", "en")

# Templates use str.format fields. Keep the two languages side by side so that neither falls behind.
CATALOGUE: Mapping[str, Mapping[str, str]] = {
    # cases and locations
    "case.public": {
        "es": "{function}, caso público {n} ({sizes})",
        "en": "{function}, public case {n} ({sizes})",
    },
    "case.hidden": {"es": "{function}, caso oculto {n}", "en": "{function}, hidden case {n}"},
    "where.file": {"es": "{file}, línea {line}", "en": "{file}, line {line}"},
    "where.notebook": {
        "es": "{file}, celda {cell}, línea {line}",
        "en": "{file}, cell {cell}, line {line}",
    },
    # Text that is the same in every language: data shown as it is, and sentences an older results.json
    # stored already written (shown in the language they were written in).
    "plain": {"es": "{text}", "en": "{text}"},
    "verbatim": {"es": "{text}", "en": "{text}"},
    # A workshop's own hint (its mistakes module's HINTS), stored in both languages.
    "workshop.hint": {"es": "{text}", "en": "{text}"},
    # Counted things, given to other sentences as their parameter: the singular is in SINGULAR.
    "n.steps": {"es": "{count} pasos", "en": "{count} steps"},
    "n.iterations": {"es": "{count} iteraciones", "en": "{count} iterations"},
    "n.submissions": {"es": "{count} entregas", "en": "{count} submissions"},
    "n.problems": {"es": "{count} problemas", "en": "{count} problems"},
    "n.results": {"es": "{count} resultados", "en": "{count} results"},
    # check summaries
    "summary.pass": {"es": "Correcto en los {total} casos.", "en": "Correct on all {total} cases."},
    "summary.partial": {
        "es": "Correcto en {passed} de {total} casos.",
        "en": "Correct on {passed} of {total} cases.",
    },
    "summary.more": {
        "es": "… y {count} casos más con fallos.",
        "en": "… and {count} more failing cases.",
    },
    # task-level problems
    "task.missing": {
        "es": "No se encontró la función {name} (ni con los nombres {aliases}). Defínela con ese nombre.",
        "en": "Function {name} was not found (nor under the names {aliases}). Define it with that name.",
    },
    "task.missing_syntax": {
        "es": "La función {name} está en una celda con un error de sintaxis ({where}: {error}); corrígelo.",
        "en": "Function {name} is in a cell with a syntax error ({where}: {error}); fix it.",
    },
    "task.signature": {
        "es": "{name} debe poder llamarse como {name}({expected}); tu función recibe ({actual}).",
        "en": "{name} must be callable as {name}({expected}); your function takes ({actual}).",
    },
    "task.load_failed": {
        "es": "No se pudo cargar el código de la entrega: {reason}",
        "en": "The submission's code could not be loaded: {reason}",
    },
    "note.rows_as_instances": {
        "es": "Usas las instancias como filas (las diapositivas usan columnas): se aceptó esa convención.",
        "en": "You use instances as rows (the slides use columns): that convention was accepted.",
    },
    "note.convention": {
        "es": "Se aceptó tu convención de forma de los arreglos ({convention}).",
        "en": "Your array-layout convention was accepted ({convention}).",
    },
    # How a convention lays the arrays out, next to another one: what a submission's functions disagree on.
    "layout.rows": {"es": "con las instancias en filas", "en": "with instances as rows"},
    "layout.columns": {"es": "con las instancias en columnas", "en": "with instances as columns"},
    "layout.transposed": {
        "es": "con los arreglos traspuestos respecto a la referencia",
        "en": "with the arrays transposed relative to the reference",
    },
    "layout.not_transposed": {
        "es": "con los arreglos como la referencia (sin trasponer)",
        "en": "with the arrays laid out as the reference (not transposed)",
    },
    "layout.column_vectors": {
        "es": "con {names} como vectores columna (k, 1)",
        "en": "with {names} as (k, 1) column vectors",
    },
    "layout.flat_vectors": {
        "es": "con {names} como vectores planos (k,)",
        "en": "with {names} as flat (k,) vectors",
    },
    "layout.and": {"es": " y ", "en": " and "},
    "layout.named": {"es": "con la convención «{convention}»", "en": "with the “{convention}” convention"},
    "note.helpers_substituted": {
        "es": "Para calificar {name} por su propia lógica se usaron versiones correctas de {helpers}.",
        "en": "To grade {name} on its own logic, correct versions of {helpers} were used.",
    },
    "note.warnings": {
        "es": (
            "Tu código emitió avisos de NumPy al ejecutar {name} (comprobación {check}): {warnings}. "
            "No restan puntos, pero suelen anunciar un desbordamiento (por ejemplo en exp) o un log(0) "
            "que con otros datos termina en NaN."
        ),
        "en": (
            "Your code raised NumPy warnings while running {name} (check {check}): {warnings}. "
            "They cost no points, but they usually signal an overflow (in exp, for instance) or a log(0) "
            "that ends up as NaN on other data."
        ),
    },
    # call outcomes
    "call.exception": {
        "es": "{case}: tu función lanzó {type}: {message}{where}",
        "en": "{case}: your function raised {type}: {message}{where}",
    },
    "call.timeout": {
        "es": "{case}: tu función no terminó en {seconds:g} s (¿un ciclo infinito?).",
        "en": "{case}: your function did not finish within {seconds:g} s (an endless loop?).",
    },
    "call.crash": {
        "es": "{case}: el proceso que ejecuta tu código terminó abruptamente ({reason}).",
        "en": "{case}: the process running your code ended abruptly ({reason}).",
    },
    "call.warnings": {"es": "  avisos de NumPy: {warnings}", "en": "  NumPy warnings: {warnings}"},
    # An exception that code written on an older NumPy (Colab's) meets on the grader's newer one: what to
    # write instead, said under the exception (the table is grader.diagnose.numpy_drift).
    "numpy.scalar_of_array": {
        "es": (
            "  Cambio de NumPy: en la versión con que se califica ({numpy}), float(a) o int(a) de un arreglo "
            "con dimensiones es un error aunque tenga un solo elemento, como uno de forma (1, 1); versiones "
            "anteriores, como la de Colab, solo daban un aviso. Usa a.item() para sacar el número."
        ),
        "en": (
            "  A NumPy change: in the version grading runs ({numpy}), float(a) or int(a) of an array with "
            "dimensions is an error even when it holds a single element, such as a (1, 1) one; older "
            "versions, such as Colab's, only warned. Use a.item() to get the number."
        ),
    },
    "numpy.removed": {
        "es": "  Cambio de NumPy: {name} ya no existe en la versión con que se califica ({numpy}); "
        "usa {instead}.",
        "en": "  A NumPy change: {name} no longer exists in the version grading runs ({numpy}); "
        "use {instead}.",
    },
    "call.in_location": {"es": " (en {where})", "en": " (at {where})"},
    "call.frame": {"es": "{where}, dentro de {function}", "en": "{where}, in {function}"},
    "call.frame_separator": {"es": " ← llamada desde ", "en": " ← called from "},
    # outputs
    "out.count": {
        "es": "{case}: se esperaban {expected} valores de retorno ({names}); tu función devolvió {actual}.",
        "en": "{case}: expected {expected} return values ({names}); your function returned {actual}.",
    },
    "out.not_numeric": {
        "es": "{case}: {name} debería ser un arreglo numérico; tu función devolvió {type}.",
        "en": "{case}: {name} should be a numeric array; your function returned {type}.",
    },
    "out.shape": {
        "es": "{case}: {name} tiene forma {actual}; se esperaba {expected}.",
        "en": "{case}: {name} has shape {actual}; expected {expected}.",
    },
    "out.values": {
        "es": (
            "{case}: {name} (forma {shape}) no coincide con la referencia: la mayor diferencia es "
            "{diff:.3g}, en {where} (se esperaba {expected:.6g} y se obtuvo {actual:.6g}; "
            "tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: {name} (shape {shape}) does not match the reference: the largest difference is "
            "{diff:.3g}, at {where} (expected {expected:.6g}, got {actual:.6g}; tolerance rtol={rtol:g}, "
            "atol={atol:g})."
        ),
    },
    "out.value": {
        "es": (
            "{case}: {name} vale {actual:.6g}; se esperaba {expected:.6g} (diferencia {diff:.3g}; "
            "tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: {name} is {actual:.6g}; expected {expected:.6g} (difference {diff:.3g}; "
            "tolerance rtol={rtol:g}, atol={atol:g})."
        ),
    },
    "out.value.hidden": {
        "es": "{case}: {name} no coincide con la referencia (tolerancia rtol={rtol:g}, atol={atol:g}).",
        "en": "{case}: {name} does not match the reference (tolerance rtol={rtol:g}, atol={atol:g}).",
    },
    "out.values.hidden": {
        "es": "{case}: {name} (forma {shape}) no coincide con la referencia "
        "(tolerancia rtol={rtol:g}, atol={atol:g}).",
        "en": "{case}: {name} (shape {shape}) does not match the reference "
        "(tolerance rtol={rtol:g}, atol={atol:g}).",
    },
    "grad.mismatch.hidden": {
        "es": (
            "{case}: el gradiente {name} no coincide con las diferencias finitas del costo "
            "(error relativo {error:.2e}, tolerancia {tolerance:.0e})."
        ),
        "en": (
            "{case}: gradient {name} does not agree with finite differences of the cost "
            "(relative error {error:.2e}, tolerance {tolerance:.0e})."
        ),
    },
    "train.one_step.hidden": {
        "es": (
            "{case}: tras {steps} con tasa {rate:g}, {name} no coincide con la referencia "
            "(tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: after {steps} with rate {rate:g}, {name} does not match the reference "
            "(tolerance rtol={rtol:g}, atol={atol:g})."
        ),
    },
    "train.cost_up.hidden": {
        "es": "{case}: el costo subió del paso {step} al {next} con tasa {rate:g}.",
        "en": "{case}: the cost went up from step {step} to {next} with rate {rate:g}.",
    },
    "train.cost_flat.hidden": {
        "es": "{case}: el costo no bajó con tasa {rate:g}.",
        "en": "{case}: the cost did not go down with rate {rate:g}.",
    },
    "note.full_notebook": {
        "es": (
            "Una función usaba variables que solo crea el código de nivel superior: se ejecutó el "
            "notebook completo, de arriba abajo, para calificarla."
        ),
        "en": (
            "A function used variables that only top-level code creates: the whole notebook was run, "
            "top to bottom, to grade it."
        ),
    },
    "call.exception.hidden": {
        "es": "{case}: tu función lanzó una excepción (en los casos ocultos no se muestra cuál ni dónde;"
        " prueba tu función con entradas de otros tamaños).",
        "en": "{case}: your function raised an exception (hidden cases do not show which or where;"
        " try your function on inputs of other sizes).",
    },
    "call.crash.hidden": {
        "es": "{case}: el proceso que ejecuta tu código terminó abruptamente.",
        "en": "{case}: the process running your code ended abruptly.",
    },
    "call.over_budget": {
        "es": "{case}: no se ejecutó: la entrega agotó su tiempo total de {seconds:g} s"
        " (revisa funciones lentas o ciclos que esperan).",
        "en": "{case}: not run: the submission used up its total time of {seconds:g} s"
        " (look for slow functions or loops that wait).",
    },
    "out.incomparable": {
        "es": "{case}: los valores de {name} no se pueden comparar con los esperados: su tamaño es otro.",
        "en": "{case}: the values of {name} cannot be compared with the expected ones: its size differs.",
    },
    "out.non_finite": {
        "es": "{case}: {name} contiene NaN o infinito.",
        "en": "{case}: {name} contains NaN or infinity.",
    },
    "out.inputs": {"es": "  entradas: {inputs}", "en": "  inputs: {inputs}"},
    # gradients
    "grad.mismatch": {
        "es": (
            "{case}: el gradiente {name} no coincide con las diferencias finitas del costo: la mayor "
            "diferencia es {diff:.3g}, en {where} (se esperaba ≈ {expected:.6g} y se obtuvo {actual:.6g}); "
            "error relativo {error:.2e}, tolerancia {tolerance:.0e}."
        ),
        "en": (
            "{case}: gradient {name} does not agree with finite differences of the cost: the largest "
            "difference is {diff:.3g}, at {where} (expected ≈ {expected:.6g}, got {actual:.6g}); "
            "relative error {error:.2e}, tolerance {tolerance:.0e}."
        ),
    },
    # training
    "train.no_params": {
        "es": (
            "{case}: no se encontraron los parámetros entrenados ({names}) ni en lo que devuelve tu función "
            "ni actualizados en su lugar."
        ),
        "en": (
            "{case}: the trained parameters ({names}) were found neither in what your function returns "
            "nor updated in place."
        ),
    },
    "train.unchanged": {
        "es": "{case}: los parámetros no cambiaron después de entrenar.",
        "en": "{case}: the parameters did not change after training.",
    },
    "train.one_step": {
        "es": (
            "{case}: tras {steps} con tasa {rate:g}, {name} no coincide con la referencia: la mayor "
            "diferencia es {diff:.3g}, en {where} (se esperaba {expected:.6g} y se obtuvo {actual:.6g}; "
            "tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: after {steps} with rate {rate:g}, {name} does not match the reference: the "
            "largest difference is {diff:.3g}, at {where} (expected {expected:.6g}, got {actual:.6g}; "
            "tolerance rtol={rtol:g}, atol={atol:g})."
        ),
    },
    "train.param_type": {
        "es": "{case}: tras {steps} con tasa {rate:g}, {name} no es un arreglo comparable ({type}).",
        "en": "{case}: after {steps} with rate {rate:g}, {name} is not a comparable array ({type}).",
    },
    "train.param_non_finite": {
        "es": "{case}: tras {steps} con tasa {rate:g}, {name} contiene NaN o infinito.",
        "en": "{case}: after {steps} with rate {rate:g}, {name} contains NaN or infinity.",
    },
    "train.cost_up": {
        "es": "{case}: el costo subió del paso {step} al {next} ({before:.6g} → {after:.6g}) "
        "con tasa {rate:g}.",
        "en": "{case}: the cost went up from step {step} to {next} ({before:.6g} → {after:.6g}) "
        "with rate {rate:g}.",
    },
    "train.cost_flat": {
        "es": "{case}: el costo no bajó ({before:.6g} → {after:.6g}) con tasa {rate:g}.",
        "en": "{case}: the cost did not go down ({before:.6g} → {after:.6g}) with rate {rate:g}.",
    },
    "train.not_solution": {
        "es": (
            "{case}: tras {steps} con tasa {rate:g}, {name} no llega a la solución esperada: "
            "la mayor diferencia es {diff:.3g}, en {where} (tolerancia atol={atol:g})."
        ),
        "en": (
            "{case}: after {steps} with rate {rate:g}, {name} does not reach the expected "
            "solution: the largest difference is {diff:.3g}, at {where} (tolerance atol={atol:g})."
        ),
    },
    "train.not_learned": {
        "es": (
            "{case}: tras {steps} (épocas) con tasa {rate:g}, el modelo clasifica bien {right} "
            "de {total} instancias; se piden al menos {needed}."
        ),
        "en": (
            "{case}: after {steps} (epochs) with rate {rate:g}, the model classifies {right} of "
            "{total} instances correctly; at least {needed} are required."
        ),
    },
    "train.not_learned_cost": {
        "es": (
            "{case}: tras {steps} (épocas) con tasa {rate:g}, el modelo clasifica bien {right} "
            "de {total} instancias; se piden al menos {needed} (costo final {cost:.4g})."
        ),
        "en": (
            "{case}: after {steps} (epochs) with rate {rate:g}, the model classifies {right} of "
            "{total} instances correctly; at least {needed} are required (final cost {cost:.4g})."
        ),
    },
    # diagnoses: one hint per code (no fields: reports show it from the code alone). A code may add a
    # ".detail" variant quoting the facts a recogniser established (a factor, an order, a count).
    "diag.swapped_outputs": {
        "es": "Parece que devuelves los resultados en otro orden.",
        "en": "It looks like you return the results in another order.",
    },
    "diag.swapped_outputs.detail": {
        "es": "Parece que devuelves ({actual}) en lugar de ({expected}).",
        "en": "It looks like you return ({actual}) instead of ({expected}).",
    },
    "diag.missing_activation_derivative": {
        "es": "Falta la derivada de la sigmoide en la capa oculta: multiplica por a1 * (1 - a1).",
        "en": "The hidden layer's sigmoid derivative is missing: multiply by a1 * (1 - a1).",
    },
    "diag.missing_mean": {
        "es": "Te falta el 1/m: sumas sobre las instancias en lugar de promediar.",
        "en": "The 1/m is missing: you sum over the instances instead of averaging.",
    },
    "diag.mse_instead_of_cross_entropy": {
        "es": (
            "Usas el error cuadrático (el costo de regresión lineal); en este taller el costo es la entropía "
            "cruzada binaria −[y·log(ŷ) + (1 − y)·log(1 − ŷ)], cuyo error en la salida es simplemente a2 − y."
        ),
        "en": (
            "You use the squared error (the linear-regression cost); this workshop's cost is the binary "
            "cross-entropy −[y·log(ŷ) + (1 − y)·log(1 − ŷ)], whose output error is simply a2 − y."
        ),
    },
    "diag.gradient_ascent": {
        "es": "Los parámetros se mueven en la dirección del gradiente (+); deben restarlo: θ := θ − α·∇J.",
        "en": "The parameters move along the gradient (+); they must subtract it: θ := θ − α·∇J.",
    },
    "diag.wrong_cost_scale": {
        "es": "El costo está escalado por un factor constante: revisa el 1/(2m) de J = 1/(2m) Σ (Xθ − y)².",
        "en": "The cost is off by a constant factor: check the 1/(2m) in J = 1/(2m) Σ (Xθ − y)².",
    },
    "diag.wrong_cost_scale.detail": {
        "es": (
            "Tu costo es {factor} veces el correcto: revisa el 1/(2m) de J = 1/(2m) Σ (Xθ − y)² "
            "(en Python, 1/2*m significa (1/2)·m; escribe 1/(2*m))."
        ),
        "en": (
            "Your cost is {factor} times the right one: check the 1/(2m) in J = 1/(2m) Σ (Xθ − y)² "
            "(in Python, 1/2*m means (1/2)·m; write 1/(2*m))."
        ),
    },
    "diag.non_simultaneous_update": {
        "es": "Actualizas cada θj usando los θ ya actualizados; la actualización debe ser simultánea.",
        "en": "You update each θj using already-updated θ values; the update must be simultaneous.",
    },
    "diag.normalize_wrong_axis": {
        "es": "Calculas media y desviación por instancia (filas); deben ser por característica "
        "(columnas, axis=0).",
        "en": "You take mean and deviation per instance (rows); they must be per feature (columns, axis=0).",
    },
    "diag.normalize_without_axis": {
        "es": "Calculas una sola media y una sola desviación para todo el arreglo; debe haber una por "
        "característica (axis=0).",
        "en": "You take a single mean and deviation for the whole array; there must be one per feature "
        "(axis=0).",
    },
    "diag.rows_as_instances": {
        "es": (
            "Usas las instancias como filas (las diapositivas, como columnas): convención aceptada, "
            "sin penalización."
        ),
        "en": "You use instances as rows (the slides use columns): an accepted convention, no penalty.",
    },
    "diag.inconsistent_convention": {
        "es": (
            "Esta función solo es correcta con otra forma de los arreglos que la de tus otras funciones "
            "(instancias en filas o en columnas, vectores planos o columna): en tu notebook no funcionarían "
            "juntas. Usa la misma convención en todas."
        ),
        "en": (
            "This function is only right with another array layout than your other functions use "
            "(instances as rows or columns, flat or column vectors): in your notebook they would not work "
            "together. Use one convention in all of them."
        ),
    },
    "diag.inconsistent_convention.detail": {
        "es": (
            "Esta función solo es correcta {actual}, pero tus otras funciones trabajan {expected}: en "
            "tu notebook no funcionarían juntas, así que se calificó {expected}. Usa la misma convención "
            "en todas."
        ),
        "en": (
            "This function is only right {actual}, but your other functions work {expected}: in your "
            "notebook they would not work together, so it was graded {expected}. Use one convention in all "
            "of them."
        ),
    },
    "diag.uses_global_data": {
        "es": (
            "Tus resultados no siguen a los datos que recibe la función (son los mismos con datos distintos, "
            "o los de otro número de instancias): parece que usa variables globales del notebook (como m, X "
            "o y) en lugar de sus parámetros. Calcula todo a partir de los argumentos, también el número de "
            "instancias (con .shape o len)."
        ),
        "en": (
            "Your results do not follow the data the function is given (the same on different data, or "
            "those of another number of instances): it seems to use notebook globals (such as m, X or y) "
            "instead of its parameters. Work everything out from the arguments, the number of instances "
            "too (with .shape or len)."
        ),
    },
    "diag.uses_global_data.detail": {
        "es": (
            "Tu función divide entre {actual} sean cuales sean los datos que recibe: parece que usa un "
            "tamaño fijo (una variable global del notebook como m, o un número escrito a mano) en lugar de "
            "sus argumentos. Calcula el número de instancias a partir de ellos: m = {expected}."
        ),
        "en": (
            "Your function divides by {actual} whatever data it is given: it seems to use a fixed size (a "
            "notebook global such as m, or a number typed in) instead of its arguments. Work the number of "
            "instances out from them: m = {expected}."
        ),
    },
    "diag.transposed_output": {
        "es": "Los valores son correctos pero la forma está transpuesta.",
        "en": "The values are right but the shape is transposed.",
    },
    "diag.missing_bias": {
        "es": "Parece que no sumas alguno de los sesgos (b1 o b2).",
        "en": "It looks like a bias (b1 or b2) is not added.",
    },
    "diag.missing_output_activation": {
        "es": "A la capa de salida le falta la sigmoide: a2 = σ(w2·a1 + b2).",
        "en": "The output layer lacks its sigmoid: a2 = σ(w2·a1 + b2).",
    },
    "diag.missing_hidden_activation": {
        "es": "A la capa oculta le falta la sigmoide: a1 = σ(w1·X + b1).",
        "en": "The hidden layer lacks its sigmoid: a1 = σ(w1·X + b1).",
    },
    "diag.derivative_of_z": {
        "es": "Aplicas la derivada σ' = a(1 − a) a z1 en lugar de a la activación a1.",
        "en": "You apply the derivative σ' = a(1 − a) to z1 instead of to the activation a1.",
    },
    "diag.sigmoid_applied_twice": {
        "es": "En la derivada aplicas la sigmoide otra vez: σ'(z1) = a1(1 − a1), sin pasar a1 por σ.",
        "en": "The derivative applies the sigmoid again: σ'(z1) = a1(1 − a1), without passing a1 through σ.",
    },
    "diag.missing_negative_sign": {
        "es": "Al costo le falta el signo negativo: la entropía cruzada es −(y·log ŷ + (1 − y)·log(1 − ŷ)).",
        "en": "The cost lacks its minus sign: cross-entropy is −(y·log ŷ + (1 − y)·log(1 − ŷ)).",
    },
    "diag.off_by_one_epochs": {
        "es": "El ciclo de entrenamiento hace una iteración de más o de menos (revisa el range).",
        "en": "The training loop runs one iteration too many or too few (check the range).",
    },
    "diag.off_by_one_epochs.detail": {
        "es": (
            "Tu ciclo se repite un número de veces distinto del pedido ({ran} en lugar de {asked}): "
            "revisa los límites del range."
        ),
        "en": (
            "Your loop repeats a different number of times than asked ({ran} instead of {asked}): "
            "check the range's bounds."
        ),
    },
    # A training loop that does not use what it is asked for; the detail names the student's own parameter.
    "diag.ignores_iterations": {
        "es": (
            "Tu ciclo hace siempre el mismo número de iteraciones, se pidan las que se pidan: usa el "
            "parámetro de iteraciones (épocas) que recibe la función, no un número fijo (y deja el return "
            "fuera del ciclo)."
        ),
        "en": (
            "Your loop always runs the same number of iterations, however many are asked for: use the "
            "iterations (epochs) parameter the function receives, not a fixed number (and keep the return "
            "out of the loop)."
        ),
    },
    "diag.ignores_iterations.detail": {
        "es": (
            "Tu ciclo hace siempre el mismo número de iteraciones, se pidan las que se pidan: usa el "
            "parámetro {expected} que recibe la función, no un número fijo (y deja el return fuera del "
            "ciclo)."
        ),
        "en": (
            "Your loop always runs the same number of iterations, however many are asked for: use the "
            "parameter {expected} the function receives, not a fixed number (and keep the return out of "
            "the loop)."
        ),
    },
    "diag.ignores_learning_rate": {
        "es": (
            "El resultado de tu ciclo no cambia con la tasa de aprendizaje que se le pasa: usa el parámetro "
            "de la tasa que recibe la función, no un valor fijo."
        ),
        "en": (
            "Your loop's result does not change with the learning rate it is given: use the rate parameter "
            "the function receives, not a fixed value."
        ),
    },
    "diag.ignores_learning_rate.detail": {
        "es": (
            "El resultado de tu ciclo no cambia con la tasa de aprendizaje que se le pasa: usa el parámetro "
            "{expected} que recibe la función, no un valor fijo."
        ),
        "en": (
            "Your loop's result does not change with the learning rate it is given: use the parameter "
            "{expected} the function receives, not a fixed value."
        ),
    },
    "diag.stale_activations": {
        "es": "Tu ciclo no vuelve a calcular feedForward en cada época: usa siempre las mismas a1 y a2.",
        "en": "Your loop does not rerun feedForward every epoch: it keeps using the same a1 and a2.",
    },
    "diag.wrong_sign": {
        "es": "El gradiente tiene el signo cambiado: el error es (predicción − y), no (y − predicción).",
        "en": "The gradient has the wrong sign: the error is (prediction − y), not (y − prediction).",
    },
    "diag.sum_of_squares": {
        "es": "Devuelves la suma de cuadrados sin el factor 1/(2m).",
        "en": "You return the sum of squares without the 1/(2m) factor.",
    },
    "diag.missing_centering": {
        "es": "Divides por la desviación pero no restas la media.",
        "en": "You divide by the deviation but do not subtract the mean.",
    },
    "diag.timeout": {"es": "Tu función tardó demasiado.", "en": "Your function took too long."},
    "diag.student_exception": {
        "es": "Tu función lanzó una excepción.",
        "en": "Your function raised an exception.",
    },
    "diag.numpy_version": {
        "es": (
            "Tu código usa algo que NumPy cambió: funciona en versiones anteriores (como la de Colab) pero "
            "falla en la que usa el calificador. Escríbelo de la forma que funciona en ambas (el mensaje del "
            "caso dice cuál)."
        ),
        "en": (
            "Your code uses something NumPy changed: it works on older versions (such as Colab's) but fails "
            "on the one grading runs. Write it the way that works on both (the case's message says how)."
        ),
    },
    "diag.missing_function": {"es": "Falta la función.", "en": "The function is missing."},
    "diag.syntax_error": {"es": "Hay un error de sintaxis.", "en": "There is a syntax error."},
    # loading
    "load.syntax_error": {
        "es": "{where}: error de sintaxis ({message}); las funciones de esa celda no se pudieron cargar.",
        "en": "{where}: syntax error ({message}); the functions in that cell could not be loaded.",
    },
    "load.imports_failed": {
        "es": "Falló una importación de la que dependen funciones calificadas: {imports}.",
        "en": "An import that graded functions depend on failed: {imports}.",
    },
    "load.import_item": {"es": "{message} (en {where})", "en": "{message} (at {where})"},
    # What a submission printed, as its report shows it.
    "output.cut": {
        "es": "[… salida cortada: solo se guardan los primeros {kib} KiB impresos]",
        "en": "[… output cut: only the first {kib} KiB printed are kept]",
    },
    "output.hidden_withheld": {
        "es": "[… lo que se imprimió durante los casos ocultos no se muestra]",
        "en": "[… output printed during hidden cases is not shown]",
    },
    "load.exception": {
        "es": "{where}: una instrucción de nivel superior falló ({message}).",
        "en": "{where}: a top-level statement failed ({message}).",
    },
    "load.statement_timeout": {
        "es": "{where}: una instrucción de nivel superior tardó demasiado y se omitió ({message}).",
        "en": "{where}: a top-level statement took too long and was skipped ({message}).",
    },
    # files that cannot be read (the English detail comes from grader.source)
    "source.empty_file": {"es": "El archivo está vacío.", "en": "The file is empty."},
    "source.not_json": {"es": "El notebook no es JSON válido.", "en": "The notebook is not valid JSON."},
    "source.truncated_notebook": {
        "es": "El notebook está cortado: se guardó o se subió incompleto.",
        "en": "The notebook is cut off: it was saved or uploaded incompletely.",
    },
    "source.not_a_notebook": {
        "es": "El archivo no tiene la estructura de un notebook de Jupyter.",
        "en": "The file does not have the structure of a Jupyter notebook.",
    },
    "source.unsupported_nbformat": {
        "es": "El notebook usa una versión de formato que no se puede leer.",
        "en": "The notebook uses a format version that cannot be read.",
    },
    "source.unreadable_file": {"es": "No se pudo leer el archivo.", "en": "The file could not be read."},
    "source.in_file": {"es": "{file}: {problem}", "en": "{file}: {problem}"},
    "source.not_json.at": {
        "es": "El notebook no es JSON válido: falla en la línea {line}, columna {column}.",
        "en": "The notebook is not valid JSON: it breaks at line {line}, column {column}.",
    },
    "source.truncated_notebook.at": {
        "es": (
            "El notebook termina de golpe en la línea {line}, columna {column}: se guardó o se subió "
            "incompleto."
        ),
        "en": (
            "The notebook ends abruptly at line {line}, column {column}: it was saved or uploaded "
            "incompletely."
        ),
    },
    "source.cell_not_text": {
        "es": "{file}, celda {cell}: se omitió, su código no es texto.",
        "en": "{file}, cell {cell}: left out, its source is not text.",
    },
    "source.cell_magic": {
        "es": "{file}, celda {cell}: se omitió la celda %%{magic}.",
        "en": "{file}, cell {cell}: the %%{magic} cell was skipped.",
    },
    "source.no_code_cells": {
        "es": "{file} no tiene celdas de código.",
        "en": "{file} has no code cells.",
    },
    "source.decoded_as": {
        "es": "{file} no está en UTF-8: se leyó como {encoding}; revisa que los acentos se vean bien.",
        "en": "{file} is not UTF-8: it was read as {encoding}; check that accents look right.",
    },
    "source.unsupported_file_type": {
        "es": "Solo se califican notebooks (.ipynb) y módulos de Python (.py).",
        "en": "Only notebooks (.ipynb) and Python modules (.py) can be graded.",
    },
    # files of a submission that the grader does not open (links, special files, size limits)
    "refused.symlink": {
        "es": "{file} es un enlace simbólico y no se lee: entrega el archivo mismo, no un enlace.",
        "en": "{file} is a symbolic link and is not read: hand in the file itself, not a link.",
    },
    "refused.special_file": {
        "es": "{file} no es un archivo normal (es un dispositivo, FIFO o socket) y no se lee.",
        "en": "{file} is not a regular file (it is a device, FIFO or socket) and is not read.",
    },
    "refused.file_too_large": {
        "es": "{file} ocupa {size}, más que el máximo de {limit}; no se lee.",
        "en": "{file} takes {size}, more than the {limit} allowed; it is not read.",
    },
    "refused.too_many_files": {
        "es": "{file} no se lee: una entrega puede tener a lo sumo {count} archivos .py/.ipynb.",
        "en": "{file} is not read: a submission may hold at most {count} .py/.ipynb files.",
    },
    "refused.too_deep": {
        "es": "{file} está anidada en demasiadas carpetas y no se lee.",
        "en": "{file} is nested in too many folders and is not read.",
    },
    "refused.unreadable_file": {
        "es": "No se pudo leer {file}.",
        "en": "{file} could not be read.",
    },
    # submission-level
    "submission.no_rubric": {
        "es": "La entrega no define ninguna de las funciones de los talleres ({expected}).",
        "en": "The submission defines none of the workshops' functions ({expected}).",
    },
    "submission.code_too_large": {
        "es": "El código de la entrega ocupa {size}, más que el máximo de {limit}; no se califica.",
        "en": "The submission's code takes {size}, more than the {limit} allowed; it is not graded.",
    },
    "submission.no_files": {
        "es": "La carpeta no contiene archivos .py ni .ipynb.",
        "en": "The folder holds no .py or .ipynb files.",
    },
    "submission.internal_error": {
        "es": (
            "Error interno del calificador ({error}): no es culpa de la entrega; avisa a quien la califica."
        ),
        "en": "Internal grader error ({error}): not the submission's fault; tell whoever grades it.",
    },
    "submission.grading_crashed": {
        "es": "El proceso del calificador terminó de golpe mientras calificaba esta entrega (probablemente "
        "por falta de memoria); el resto del lote se calificó.",
        "en": "The grader's process ended abruptly while grading this submission (probably out of "
        "memory); the rest of the batch was graded.",
    },
    # The command line: a checked submission and a batch's closing summary.
    "term.not_graded": {"es": "no se pudo calificar", "en": "could not be graded"},
    "term.found_as": {"es": "(encontrada como {name})", "en": "(found as {name})"},
    "term.note": {"es": "nota: {text}", "en": "note: {text}"},
    "term.public_only": {
        "es": "Solo comprobaciones públicas: la nota final incluye casos ocultos que aquí no se ejecutaron.",
        "en": "Public checks only: the final grade includes hidden cases that were not run here.",
    },
    # How `grader check` ran the student's code where it did not use the sandbox (grader/self_check.py).
    "term.ran_here": {
        "es": "Sin sandbox: tu código se ejecutó en este proceso; cada llamada se detiene al pasar su "
        "límite de tiempo.",
        "en": "Without the sandbox: your code ran in this process; each call is stopped at its time limit.",
    },
    "term.ran_forked": {
        "es": "Sin sandbox: tu código se ejecutó en un proceso hijo de este, con límites de tiempo y de "
        "memoria.",
        "en": "Without the sandbox: your code ran in a child of this process, with time and memory limits.",
    },
    "term.graded": {
        "es": "Calificadas {graded} de {total} en {seconds} s ({rate}/s); {errors} sin calificar.",
        "en": "Graded {graded} of {total} in {seconds} s ({rate}/s); {errors} could not be graded.",
    },
    "term.task_line": {
        "es": "nota completa {full:>4}/{count:<4} media {mean:5.1f} %",
        "en": "full marks {full:>4}/{count:<4} mean {mean:5.1f} %",
    },
    "term.diagnoses": {
        "es": "Diagnósticos más frecuentes: {codes}",
        "en": "Most frequent diagnoses: {codes}",
    },
    "term.more_errors": {"es": "… y {count} más sin calificar", "en": "… and {count} more not graded"},
    "term.reusing": {
        "es": "Se reutilizan {results} de una ejecución anterior (--fresh las vuelve a calificar).",
        "en": "Reusing {results} kept from an earlier run (--fresh grades them again).",
    },
    "term.crashed_earlier": {
        "es": (
            "{id}: el proceso del calificador terminó mientras la calificaba en una ejecución anterior "
            "(probablemente por falta de memoria); se registra como {kind} sin calificarla otra vez "
            "(--fresh lo intenta de nuevo)."
        ),
        "en": (
            "{id}: the grader's process ended while grading it in an earlier run (probably out of "
            "memory); recorded as {kind} without grading it again (--fresh tries again)."
        ),
    },
    "term.crashed_alone": {
        "es": (
            "{id}: el proceso del calificador terminó mientras la calificaba, también sola (probablemente "
            "por falta de memoria); se registra como {kind} y el resto se calificó (--fresh lo intenta de "
            "nuevo)."
        ),
        "en": (
            "{id}: the grader's process ended while grading it, alone too (probably out of memory); "
            "recorded as {kind}, the rest was graded (--fresh tries again)."
        ),
    },
    "term.retrying": {
        "es": (
            "Un proceso de calificación terminó (probablemente por falta de memoria) mientras calificaba "
            "{ids}: se califica cada una otra vez por separado."
        ),
        "en": (
            "A grading process ended (probably out of memory) while grading {ids}: grading each again "
            "on its own."
        ),
    },
    "term.progress": {
        "es": "{done}/{total}  {rate}/s  faltan {eta} s  errores/tiempos agotados: {failures}",
        "en": "{done}/{total}  {rate}/s  ETA {eta} s  errors/timeouts: {failures}",
    },
    "term.internal_errors": {
        "es": "{submissions} con un error interno del calificador: ver results.json",
        "en": "{submissions} hit an internal grader error: see results.json",
    },
    "term.reports": {"es": "Informes en {folder}/", "en": "Reports in {folder}/"},
    # GitHub: the job summary and annotations of a batch (grader/report/github.py).
    "job.title": {
        "es": "Calificación",
        "en": "Grading",
    },
    "job.student": {
        "es": "Estudiante",
        "en": "Student",
    },
    "job.status": {
        "es": "Estado",
        "en": "Status",
    },
    "job.score": {
        "es": "Puntos",
        "en": "Score",
    },
    "job.function": {
        "es": "Función",
        "en": "Function",
    },
    "job.graded": {
        "es": "calificada",
        "en": "graded",
    },
    "job.error": {
        "es": "error",
        "en": "error",
    },
    "job.not_graded": {
        "es": "No se pudo calificar",
        "en": "Could not be graded",
    },
    "job.complete": {
        "es": "completa",
        "en": "complete",
    },
    "job.partial": {
        "es": "parcial",
        "en": "partial",
    },
    "job.zero": {
        "es": "sin puntos",
        "en": "no points",
    },
    "job.not_found": {
        "es": "no encontrada",
        "en": "not found",
    },
    "job.failing": {
        "es": "Pruebas no superadas de",
        "en": "Checks not passed in",
    },
    "job.diagnoses": {
        "es": "Diagnósticos",
        "en": "Diagnoses",
    },
    "job.check_fail": {
        "es": "fallida",
        "en": "failed",
    },
    "job.check_error": {
        "es": "error",
        "en": "error",
    },
    "job.check_timeout": {
        "es": "tiempo agotado",
        "en": "timed out",
    },
    "job.check_skipped": {
        "es": "omitida",
        "en": "skipped",
    },
    "job.truncated": {
        "es": "Resumen truncado: faltan {count}; el informe HTML y results.json las tienen.",
        "en": "Summary truncated: {count} left out; the HTML report and results.json have them.",
    },
    "job.more": {
        "es": "… {count} sin mostrar aquí: ver el resumen del trabajo.",
        "en": "… {count} not shown here: see the job summary.",
    },
    # GitHub Classroom: what a student's repository shows (grader/integrations/github.py).
    "classroom.not_graded": {
        "es": "No se pudo calificar",
        "en": "Could not be graded",
    },
    "classroom.provisional": {
        "es": (
            "Calificación provisional, para orientarte: la nota que cuenta es la que el profesor calcula "
            "sobre los repositorios entregados."
        ),
        "en": (
            "Provisional grade, for feedback: the grade that counts is the one the instructor computes "
            "over the handed-in repositories."
        ),
    },
    "classroom.public_only": {
        "es": (
            "Sin `GRADER_SECRET` en este repositorio: solo se ejecutaron las pruebas públicas. Las ocultas "
            "cuentan en la nota final."
        ),
        "en": (
            "No `GRADER_SECRET` in this repository: only the public checks ran. The hidden ones count in "
            "the final grade."
        ),
    },
    # Gradescope: the results written when grading itself fails (grader/integrations/gradescope.py).
    "gradescope.name": {
        "es": "Calificación automática",
        "en": "Autograder",
    },
    "gradescope.failed": {
        "es": (
            "El calificador no pudo terminar con esta entrega (código de salida EXITSTATUS), así que no "
            "hay puntos todavía. Avísale a tu profesor: puede revisar el registro y volver a calificarla."
        ),
        "en": (
            "The grader could not finish with this submission (exit status EXITSTATUS), so there are no "
            "points yet. Tell your instructor: they can check the log and grade it again."
        ),
    },
    "gradescope.timeout": {
        "es": (
            "La calificación superó el tiempo máximo ({seconds} s) y se detuvo. Revisa que tu código no "
            "quede en un bucle infinito ni espere una entrada (input()), y vuelve a entregarlo."
        ),
        "en": (
            "Grading took longer than the time limit ({seconds} s) and was stopped. Check that your code "
            "does not loop forever or wait for input (input()), and submit again."
        ),
    },
    # The instructor's round trip: runs without the secret, manual adjustments, LMS gradebooks and the
    # feedback packages (grader/report/gradebook.py, grader/overrides.py, grader/roster.py,
    # grader/feedback.py, the pages of grader/report/).
    "public_only.banner": {
        "es": (
            "Solo pruebas públicas: esta calificación se hizo sin el secreto de los casos ocultos, así que "
            "no es la nota definitiva."
        ),
        "en": (
            "Public checks only: this grading ran without the secret for the hidden cases, so it is not "
            "the final grade."
        ),
    },
    "public_only.mark": {"es": "SOLO PRUEBAS PÚBLICAS", "en": "PUBLIC CHECKS ONLY"},
    "public_only.feedback": {
        "es": "Calificación provisional: solo pruebas públicas.",
        "en": "Provisional grade: public checks only.",
    },
    "adjust.heading": {"es": "Ajustes manuales", "en": "Manual adjustments"},
    "adjust.function": {
        "es": "{function}: {original} → {points} puntos",
        "en": "{function}: {original} → {points} points",
    },
    "adjust.total": {
        "es": "Total de {rubric}: {original} → {points} puntos",
        "en": "{rubric} total: {original} → {points} points",
    },
    "adjust.by": {"es": "Ajustado por {by}.", "en": "Adjusted by {by}."},
    "adjust.by_reason": {"es": "Ajustado por {by}: {reason}", "en": "Adjusted by {by}: {reason}"},
    "adjust.marker": {"es": "ajustada a mano", "en": "adjusted by hand"},
    "feedback.points": {
        "es": "Puntos: {score} de {max} ({percent} %).",
        "en": "Points: {score} out of {max} ({percent} %).",
    },
    "feedback.functions": {"es": "Por función: {functions}.", "en": "By function: {functions}."},
    "feedback.not_graded": {
        "es": "No se pudo calificar la entrega ({kind}): {message}",
        "en": "The submission could not be graded ({kind}): {message}",
    },
    "feedback.comment": {"es": "Comentario del profesor: {comment}", "en": "Instructor's comment: {comment}"},
    "roster.filled": {
        "es": "{file}: {count} notas en la columna «{column}», sobre {maximum}.",
        "en": "{file}: {count} grades in column “{column}”, out of {maximum}.",
    },
    "roster.matched_by": {
        "es": "Emparejadas por los identificadores del LMS: {lms}; por el id de la entrega: {fallback}.",
        "en": "Matched by the LMS's identifiers: {lms}; by the submission id: {fallback}.",
    },
    "roster.missing": {
        "es": "Sin entrega, sin nota ({count}): {names}",
        "en": "No submission, left without a grade ({count}): {names}",
    },
    "roster.unmatched": {
        "es": "Entregas que no corresponden a nadie de la lista ({count}); no se descartan, revísalas: {ids}",
        "en": "Submissions that match no one in the list ({count}); not dropped, check them: {ids}",
    },
    "roster.ambiguous": {
        "es": "{id}: corresponde a varias filas ({rows}); no se escribió ninguna nota.",
        "en": "{id}: matches several rows ({rows}); no grade was written.",
    },
    "roster.shared": {
        "es": "{row}: le corresponden varias entregas ({ids}); no se escribió nota.",
        "en": "{row}: several submissions match ({ids}); no grade was written.",
    },
    "roster.not_graded": {
        "es": "{row}: la entrega {id} no se pudo calificar ({kind}); queda sin nota.",
        "en": "{row}: submission {id} could not be graded ({kind}); left without a grade.",
    },
    "roster.other_rubric": {
        "es": "{row}: la entrega {id} no se calificó con {rubric}; queda sin nota.",
        "en": "{row}: submission {id} was not graded on {rubric}; left without a grade.",
    },
    "roster.not_assigned": {
        "es": "{row}: Canvas no le asigna esta tarea (N/A); queda sin nota.",
        "en": "{row}: Canvas does not assign this assignment to them (N/A); left without a grade.",
    },
    "roster.locked": {
        "es": "{row}: Moodle no permite cambiar esta nota ({value}); la subida la omitirá.",
        "en": "{row}: Moodle does not allow changing this grade ({value}); the upload will skip it.",
    },
    "roster.replaced_comment": {
        "es": "{row}: se reemplazó el comentario de retroalimentación que tenía.",
        "en": "{row}: the feedback comment it had was replaced.",
    },
    "feedback.packaged": {
        "es": "{file}: páginas de retroalimentación de {count} entregas, para {lms}.",
        "en": "{file}: feedback pages of {count} submissions, for {lms}.",
    },
    "feedback.no_lms_id": {
        "es": (
            "{id}: sin identificador de {lms}; no se incluyó (califica la descarga del LMS, o da --roster "
            "con su lista de calificación)."
        ),
        "en": (
            "{id}: no {lms} identifier; left out (grade the LMS's download, or give --roster with its "
            "grading file)."
        ),
    },
    # What an instructor hands in: LMS downloads and zips (grader.intake), and which files are graded.
    "refused.unsafe_path": {
        "es": "{file} está guardado en el zip con una ruta que sale de su carpeta (absoluta, con unidad o "
        "con ..); no se lee.",
        "en": "{file} is stored in the zip under a path that leaves its folder (absolute, with a drive or "
        "with ..); it is not read.",
    },
    "refused.compression_ratio": {
        "es": "{file} se expandiría {count} veces su tamaño comprimido en el zip (una bomba zip); no se lee.",
        "en": "{file} would expand to {count} times its compressed size in the zip (a zip bomb); it is not "
        "read.",
    },
    "refused.encrypted": {
        "es": "{file} está cifrado en el zip; no se lee.",
        "en": "{file} is encrypted in the zip; it is not read.",
    },
    "refused.duplicate_name": {
        "es": "El zip guarda otro archivo con el nombre {file}; se leyó solo el primero.",
        "en": "The zip holds another file named {file}; only the first one was read.",
    },
    "zip.broken": {
        "es": "no es un archivo zip legible: está dañado o incompleto ({reason}).",
        "en": "not a readable zip file: it is damaged or incomplete ({reason}).",
    },
    "zip.encrypted": {
        "es": "el zip está cifrado (protegido con contraseña); no se lee.",
        "en": "the zip is encrypted (password-protected); it is not read.",
    },
    "zip.too_many_members": {
        "es": "el zip tiene {count} entradas, más que el máximo de {limit}; no se lee.",
        "en": "the zip holds {count} entries, more than the {limit} allowed; it is not read.",
    },
    "zip.too_large": {
        "es": "sus archivos .py/.ipynb se expandirían a {size}, más que el máximo de {limit} (¿una bomba "
        "zip?); no se lee.",
        "en": "its .py/.ipynb files would expand to {size}, more than the {limit} allowed (a zip bomb?); it "
        "is not read.",
    },
    "intake.lms": {
        "es": "{submissions} de una descarga de {lms}.",
        "en": "{submissions} from a {lms} download.",
    },
    "files.heading": {"es": "Archivos de la entrega", "en": "Files of the submission"},
    "files.graded": {"es": "Archivos calificados", "en": "Graded files"},
    "files.ignored": {"es": "No calificados", "en": "Not graded"},
    "ignored.tool_copy": {
        "es": "{file}: copia que guarda una herramienta (Jupyter, macOS, un editor); no se califica.",
        "en": "{file}: a copy a tool keeps (Jupyter, macOS, an editor); not graded.",
    },
    "ignored.no_workshop_function": {
        "es": "{file}: no define ninguna función del taller; no se califica.",
        "en": "{file}: defines none of the workshop's functions; not graded.",
    },
    "ignored.unreadable": {
        "es": "{file}: no se puede leer como notebook; se calificaron los demás archivos.",
        "en": "{file}: cannot be read as a notebook; the other files were graded.",
    },
    "ignored.less_complete": {
        "es": "{file}: define las mismas funciones que {graded}, que define más de ellas; se calificó "
        "{graded}.",
        "en": "{file}: defines the same functions as {graded}, which defines more of them; {graded} was "
        "graded.",
    },
    "ignored.older": {
        "es": "{file}: define las mismas funciones que {graded}, modificado más recientemente; se calificó "
        "{graded}.",
        "en": "{file}: defines the same functions as {graded}, modified more recently; {graded} was graded.",
    },
    "ignored.tied": {
        "es": "{file}: define las mismas funciones que {graded}, con la misma fecha de modificación; se "
        "calificó {graded}. Si no es tu entrega, avisa a tu profesor.",
        "en": "{file}: defines the same functions as {graded}, modified at the same time; {graded} was "
        "graded. If that is not your hand-in, tell your instructor.",
    },
    "note.defined_twice": {
        "es": "La función {function} está definida en {graded} y en {other}; se calificó la de {graded}.",
        "en": "Function {function} is defined in {graded} and in {other}; the one in {graded} was graded.",
    },
    "note.defined_twice_many": {
        "es": "Las funciones {functions} están definidas en {graded} y en {other}; se calificaron las de "
        "{graded}.",
        "en": "Functions {functions} are defined in {graded} and in {other}; the ones in {graded} were "
        "graded.",
    },
    "student.label": {"es": "Estudiante", "en": "Student"},
    "student.moodle": {"es": "Moodle, participante {id}", "en": "Moodle, participant {id}"},
    "student.canvas": {"es": "Canvas, usuario {id}", "en": "Canvas, user {id}"},
    "student.canvas_anonymous": {"es": "Canvas, anónimo {id}", "en": "Canvas, anonymous {id}"},
    "student.classroom": {
        "es": "GitHub Classroom, usuario {username}",
        "en": "GitHub Classroom, user {username}",
    },
    "student.late": {"es": "entregada tarde", "en": "handed in late"},
    # The HTML report's fixed words: headings, labels, captions (the pages of grader/report/).
    "page.report_title": {
        "es": "Informe de calificación",
        "en": "Grading report",
    },
    "page.student_title": {
        "es": "Entrega",
        "en": "Submission",
    },
    "page.skip_to_content": {
        "es": "Saltar al contenido",
        "en": "Skip to content",
    },
    "page.back_to_index": {
        "es": "Volver al índice",
        "en": "Back to the index",
    },
    "page.generated_by": {
        "es": "Generado por taller-grader",
        "en": "Generated by taller-grader",
    },
    "page.run_heading": {
        "es": "Ejecución",
        "en": "Run",
    },
    "page.grader_version": {
        "es": "Versión del calificador",
        "en": "Grader version",
    },
    "page.rubrics": {
        "es": "Rúbricas",
        "en": "Rubrics",
    },
    "page.hidden_cases": {
        "es": "Casos ocultos",
        "en": "Hidden cases",
    },
    "page.hidden_ran": {
        "es": "ejecutados",
        "en": "ran",
    },
    "page.hidden_not_ran": {
        "es": "no ejecutados",
        "en": "not run",
    },
    "page.unknown": {
        "es": "desconocido",
        "en": "unknown",
    },
    "page.sandbox": {
        "es": "Capas de aislamiento",
        "en": "Sandbox layers",
    },
    "page.none": {
        "es": "ninguna",
        "en": "none",
    },
    "page.summary_heading": {
        "es": "Resumen",
        "en": "Summary",
    },
    "page.submissions_count": {
        "es": "Entregas",
        "en": "Submissions",
    },
    "page.graded_count": {
        "es": "Calificadas",
        "en": "Graded",
    },
    "page.errored_count": {
        "es": "Con error",
        "en": "With errors",
    },
    "page.timed_out_count": {
        "es": "Con tiempo agotado",
        "en": "With time-outs",
    },
    "page.mean_score": {
        "es": "Nota media",
        "en": "Mean score",
    },
    "page.median_score": {
        "es": "Mediana",
        "en": "Median",
    },
    "page.workshops_heading": {
        "es": "Notas por taller",
        "en": "Scores by workshop",
    },
    "page.workshops_intro": {
        "es": "Cada taller se puntúa aparte: sus puntos no se suman a los de otros talleres.",
        "en": "Each workshop is scored on its own: its points are never added to another's.",
    },
    "page.workshop_graded": {
        "es": "Entregas calificadas",
        "en": "Graded submissions",
    },
    "page.col_workshop": {
        "es": "Taller",
        "en": "Workshop",
    },
    "page.histogram_caption": {
        "es": "entregas calificadas por % de la nota máxima del taller",
        "en": "graded submissions by % of the workshop's maximum score",
    },
    "page.workshop_full_marks": {
        "es": "Con nota completa",
        "en": "With full marks",
    },
    "page.histogram_title": {
        "es": "{rubric}: entregas calificadas por porcentaje de la nota máxima del taller",
        "en": "{rubric}: graded submissions by percentage of the workshop's maximum score",
    },
    "page.histogram_axis": {
        "es": "% de la nota máxima",
        "en": "% of the maximum score",
    },
    "page.histogram_bar": {
        "es": "{low}–{high} %: {count} entregas",
        "en": "{low}–{high} %: {count} submissions",
    },
    "page.histogram_empty": {
        "es": "Ninguna entrega calificada todavía.",
        "en": "No graded submissions yet.",
    },
    "page.rates_heading": {
        "es": "Tasa de aprobación por prueba",
        "en": "Pass rate per check",
    },
    "page.rates_caption": {
        "es": "Entregas calificadas que superan cada prueba",
        "en": "Graded submissions that pass each check",
    },
    "page.col_function": {
        "es": "Función",
        "en": "Function",
    },
    "page.col_passed": {
        "es": "Superada",
        "en": "Passed",
    },
    "page.col_rate": {
        "es": "Tasa",
        "en": "Rate",
    },
    "page.col_not_passed": {
        "es": "Sin superar",
        "en": "Not passed",
    },
    "page.diagnoses_heading": {
        "es": "Diagnósticos más frecuentes",
        "en": "Most frequent diagnoses",
    },
    "page.diagnoses_caption": {
        "es": "Errores típicos reconocidos y cuántas entregas los tienen",
        "en": "Recognised typical mistakes and how many submissions make them",
    },
    "page.conventions_heading": {
        "es": "Convenciones aceptadas",
        "en": "Accepted conventions",
    },
    "page.conventions_caption": {
        "es": "Formas de organizar los arreglos que la rúbrica acepta sin penalización: no son errores",
        "en": "Array layouts the rubric accepts without penalty: they are not mistakes",
    },
    "page.col_workshops": {
        "es": "Talleres",
        "en": "Workshops",
    },
    "page.run_exec": {"es": "Ejecución del código", "en": "Code execution"},
    "page.run_conventions": {
        "es": "Convenciones de las rúbricas",
        "en": "Rubric conventions",
    },
    "page.col_code": {
        "es": "Código",
        "en": "Code",
    },
    "page.col_hint": {
        "es": "Explicación",
        "en": "Explanation",
    },
    "page.col_count": {
        "es": "Entregas",
        "en": "Submissions",
    },
    "page.col_functions": {
        "es": "Funciones",
        "en": "Functions",
    },
    "page.diagnoses_empty": {
        "es": "No se reconoció ningún error típico.",
        "en": "No typical mistake was recognised.",
    },
    "page.diagnoses_more": {
        "es": "Y {count} diagnósticos menos frecuentes.",
        "en": "And {count} less frequent diagnoses.",
    },
    "page.problems_heading": {
        "es": "Entregas con error o tiempo agotado",
        "en": "Submissions with errors or time-outs",
    },
    "page.problems_caption": {
        "es": "Entregas que no se pudieron calificar o cuyo código falló o no terminó",
        "en": "Submissions that could not be graded or whose code failed or did not finish",
    },
    "page.problems_summary": {
        "es": "{count} entregas para revisar",
        "en": "{count} submissions to review",
    },
    "page.rate_fail": {
        "es": "{count} fallidas",
        "en": "{count} failed",
    },
    "page.rate_error": {
        "es": "{count} con error",
        "en": "{count} errors",
    },
    "page.rate_timeout": {
        "es": "{count} con tiempo agotado",
        "en": "{count} timed out",
    },
    "page.rate_skipped": {
        "es": "{count} omitidas",
        "en": "{count} skipped",
    },
    "page.problems_empty": {
        "es": "Todas las entregas se calificaron sin errores ni tiempos agotados.",
        "en": "Every submission was graded without errors or time-outs.",
    },
    "page.col_problem": {
        "es": "Problema",
        "en": "Problem",
    },
    "page.problem_error": {
        "es": "No se pudo calificar",
        "en": "Could not be graded",
    },
    "page.problem_timeout": {
        "es": "Tiempo agotado en",
        "en": "Timed out in",
    },
    "page.problem_exception": {
        "es": "Excepción en",
        "en": "Exception in",
    },
    "page.results_heading": {
        "es": "Resultados por estudiante",
        "en": "Results by student",
    },
    "page.results_caption": {
        "es": "Puntos de cada estudiante en cada taller (abre una celda para ver cada función)",
        "en": "Points of each student in each workshop (open a cell to see every function)",
    },
    "page.details_open": {
        "es": "Mostrar el detalle por función",
        "en": "Show every function",
    },
    "page.details_close": {
        "es": "Ocultar el detalle por función",
        "en": "Hide the functions",
    },
    "page.no_submissions": {
        "es": "No hay entregas.",
        "en": "There are no submissions.",
    },
    "page.filter_search": {
        "es": "Buscar estudiante",
        "en": "Find a student",
    },
    "page.filter_status": {
        "es": "Mostrar",
        "en": "Show",
    },
    "page.filter_all": {
        "es": "todas",
        "en": "all",
    },
    "page.filter_complete": {
        "es": "nota completa",
        "en": "full marks",
    },
    "page.filter_partial": {
        "es": "nota parcial",
        "en": "partial marks",
    },
    "page.filter_zero": {
        "es": "sin puntos",
        "en": "no points",
    },
    "page.filter_error": {
        "es": "con error",
        "en": "with errors",
    },
    "page.filter_problem": {
        "es": "con error, excepción o tiempo agotado",
        "en": "with errors, exceptions or time-outs",
    },
    "page.filter_count": {
        "es": "Se muestran {shown} de {total} entregas.",
        "en": "Showing {shown} of {total} submissions.",
    },
    "page.sort_hint": {
        "es": "Pulsa un encabezado para ordenar.",
        "en": "Select a column heading to sort.",
    },
    "page.sorted_ascending": {
        "es": "Ordenado por {column}, ascendente.",
        "en": "Sorted by {column}, ascending.",
    },
    "page.sorted_descending": {
        "es": "Ordenado por {column}, descendente.",
        "en": "Sorted by {column}, descending.",
    },
    "page.col_student": {
        "es": "Estudiante",
        "en": "Student",
    },
    "page.col_status": {
        "es": "Estado",
        "en": "Status",
    },
    "page.col_diagnoses": {
        "es": "Diagnósticos",
        "en": "Diagnoses",
    },
    "page.no_data": {
        "es": "sin datos",
        "en": "no data",
    },
    "page.source": {
        "es": "Fuente",
        "en": "Source",
    },
    "page.status": {
        "es": "Estado",
        "en": "Status",
    },
    "page.score": {
        "es": "Puntos",
        "en": "Score",
    },
    "page.duration": {
        "es": "Duración",
        "en": "Duration",
    },
    "page.submission_notes": {
        "es": "Notas de la entrega",
        "en": "Submission notes",
    },
    "page.error_heading": {
        "es": "No se pudo calificar la entrega",
        "en": "The submission could not be graded",
    },
    "page.breakdown_heading": {
        "es": "Resumen por función",
        "en": "Breakdown by function",
    },
    "page.breakdown_caption": {
        "es": "Puntos obtenidos en cada función",
        "en": "Points earned in each function",
    },
    "page.tasks_heading": {
        "es": "Funciones",
        "en": "Functions",
    },
    "page.no_tasks": {
        "es": "No se calificó ninguna función.",
        "en": "No function was graded.",
    },
    "page.rubric": {
        "es": "Rúbrica",
        "en": "Rubric",
    },
    "page.found_as": {
        "es": "Encontrada como",
        "en": "Found as",
    },
    "page.your_code": {
        "es": "Tu código",
        "en": "Your code",
    },
    "page.cost_curve": {
        "es": "Costo tras cada época (calculado por el calificador)",
        "en": "Cost after each epoch (computed by the grader)",
    },
    "page.curve_student": {
        "es": "tu función",
        "en": "your function",
    },
    "page.curve_reference": {
        "es": "referencia",
        "en": "reference",
    },
    "page.curve_epoch": {
        "es": "época",
        "en": "epoch",
    },
    "page.curve_cost": {
        "es": "costo",
        "en": "cost",
    },
    "page.curve_line": {
        "es": "{label}: {first} al inicio, {last} tras la época {steps}",
        "en": "{label}: {first} at the start, {last} after epoch {steps}",
    },
    "page.task_notes": {
        "es": "Notas",
        "en": "Notes",
    },
    "page.checks_caption": {
        "es": "Pruebas de",
        "en": "Checks of",
    },
    "page.no_checks": {
        "es": "Esta función no tiene pruebas.",
        "en": "This function has no checks.",
    },
    "page.col_check": {
        "es": "Prueba",
        "en": "Check",
    },
    "page.col_visibility": {
        "es": "Visibilidad",
        "en": "Visibility",
    },
    "page.col_points": {
        "es": "Puntos",
        "en": "Points",
    },
    "page.col_message": {
        "es": "Mensaje",
        "en": "Message",
    },
    "page.diagnoses": {
        "es": "Diagnósticos",
        "en": "Diagnoses",
    },
    "page.no_diagnoses": {
        "es": "ninguno",
        "en": "none",
    },
    "page.output_heading": {
        "es": "Salida capturada",
        "en": "Captured output",
    },
    "page.output_empty": {
        "es": "La entrega no imprimió nada.",
        "en": "The submission printed nothing.",
    },
    "page.output_truncated": {
        "es": "Salida truncada: se muestran los primeros {shown} de {total} caracteres.",
        "en": "Output truncated: showing the first {shown} of {total} characters.",
    },
    "page.submission_graded": {
        "es": "calificada",
        "en": "graded",
    },
    "page.submission_error": {
        "es": "error",
        "en": "error",
    },
    "page.task_complete": {
        "es": "completa",
        "en": "complete",
    },
    "page.task_partial": {
        "es": "parcial",
        "en": "partial",
    },
    "page.task_zero": {
        "es": "sin puntos",
        "en": "no points",
    },
    "page.task_not_found": {
        "es": "no encontrada",
        "en": "not found",
    },
    "page.workshop_complete": {
        "es": "nota completa",
        "en": "full marks",
    },
    "page.workshop_partial": {
        "es": "nota parcial",
        "en": "partial marks",
    },
    "page.workshop_zero": {
        "es": "sin puntos",
        "en": "no points",
    },
    "page.check_pass": {
        "es": "superada",
        "en": "passed",
    },
    "page.check_fail": {
        "es": "fallida",
        "en": "failed",
    },
    "page.check_error": {
        "es": "error",
        "en": "error",
    },
    "page.check_timeout": {
        "es": "tiempo agotado",
        "en": "timed out",
    },
    "page.check_skipped": {
        "es": "omitida",
        "en": "skipped",
    },
    "page.visibility_public": {
        "es": "pública",
        "en": "public",
    },
    "page.visibility_hidden": {
        "es": "oculta",
        "en": "hidden",
    },
    # A stub still to be written (grader/judge.py), the notebook check (grader/notebook.py and its HTML,
    # grader/report/fragment.py) and the starting notebook an instructor generates (grader/starter.py).
    "task.not_implemented": {
        "es": "{name} no está implementada todavía: lanza NotImplementedError. Escríbela y vuelve a "
        "comprobarla.",
        "en": "{name} is not implemented yet: it raises NotImplementedError. Write it and check it again.",
    },
    "diag.not_implemented": {
        "es": "Reemplaza «raise NotImplementedError» por tu código; mientras tanto, la función vale 0 "
        "puntos.",
        "en": "Replace “raise NotImplementedError” with your code; until then the function is worth 0 "
        "points.",
    },
    "nb.title": {
        "es": "{title} — comprobación con los casos públicos",
        "en": "{title} — check on the public cases",
    },
    "nb.unknown_function": {
        "es": "Ningún taller tiene una función llamada {name}. Las funciones de los talleres son: {names}.",
        "en": "No workshop has a function called {name}. The workshops' functions are: {names}.",
    },
    "nb.nothing_defined": {
        "es": "No hay en el notebook ninguna función de los talleres ({expected}). Ejecuta las celdas que "
        "definen tus funciones y vuelve a comprobar.",
        "en": "The notebook defines none of the workshops' functions ({expected}). Run the cells that define "
        "your functions and check again.",
    },
    "nb.in_grading": {
        "es": "grader.check() no hace nada mientras se califica la entrega.",
        "en": "grader.check() does nothing while the submission is being graded.",
    },
    "nb.points": {"es": "{count} puntos", "en": "{count} points"},
    "nb.not_implemented": {"es": "sin implementar", "en": "not implemented yet"},
    "nb.details": {"es": "Detalle de los casos que fallan", "en": "Details of the failing cases"},
    "nb.output": {
        "es": "Lo que imprimió tu código durante la comprobación",
        "en": "What your code printed during the check",
    },
    "starter.install": {
        "es": "Instala el calificador del curso (en Colab o en tu computador) y cárgalo. Ejecuta esta celda "
        "primero.",
        "en": "Install the course's grader (on Colab or on your computer) and load it. Run this cell first.",
    },
    "starter.installed": {
        "es": "Carga el calificador del curso (instálalo antes con: pip install taller-grader, o como "
        "indique tu profesor).",
        "en": "Load the course's grader (install it first with: pip install taller-grader, or as your "
        "instructor says).",
    },
    "starter.how": {
        "es": "Escribe cada función en su celda, en lugar de «raise NotImplementedError», y ejecuta la celda "
        "«grader.check(...)» que la sigue: te dice qué casos pasa, los errores típicos que reconoce y cómo "
        "corregirlos. «grader.check()» sin argumentos comprueba el taller completo. Solo se usan casos "
        "públicos: la nota final incluye además casos ocultos.",
        "en": "Write each function in its cell, in place of “raise NotImplementedError”, and run the "
        "“grader.check(...)” cell after it: it tells you which cases pass, the typical mistakes it "
        "recognises and how to fix them. “grader.check()” with no arguments checks the whole workshop. "
        "Only public cases are used: the final grade also includes hidden cases.",
    },
    "starter.signature": {"es": "Firma: {signature}", "en": "Signature: {signature}"},
    "starter.receives": {"es": "Recibe", "en": "Receives"},
    "starter.returns": {"es": "Devuelve", "en": "Returns"},
    "starter.shape": {"es": "forma {shape} en el caso público 1", "en": "shape {shape} on public case 1"},
    "starter.scalar": {"es": "un número", "en": "a number"},
    "starter.write_here": {"es": "Escribe aquí tu código.", "en": "Write your code here."},
    "starter.final": {"es": "Comprobación final", "en": "Final check"},
    "starter.final_text": {
        "es": "Comprueba el taller completo antes de entregarlo ({points} en total).",
        "en": "Check the whole workshop before handing it in ({points} in all).",
    },
}


# The sentence to use when a count is one: key → (the field holding the count, language → sentence).
# Every other count takes the catalogue's sentence (Spanish and English both use the plural for 0).
SINGULAR: Mapping[str, tuple[str, Mapping[str, str]]] = {
    "n.steps": ("count", {"es": "1 paso", "en": "1 step"}),
    "n.iterations": ("count", {"es": "1 iteración", "en": "1 iteration"}),
    "n.submissions": ("count", {"es": "1 entrega", "en": "1 submission"}),
    "n.problems": ("count", {"es": "1 problema", "en": "1 problem"}),
    "n.results": ("count", {"es": "1 resultado", "en": "1 result"}),
    "nb.points": ("count", {"es": "1 punto", "en": "1 point"}),
    "summary.pass": ("total", {"es": "Correcto en el único caso.", "en": "Correct on the only case."}),
    "summary.partial": (
        "total",
        {"es": "Correcto en {passed} de 1 caso.", "en": "Correct on {passed} of 1 case."},
    ),
    "summary.more": ("count", {"es": "… y 1 caso más con fallos.", "en": "… and 1 more failing case."}),
    "page.diagnoses_more": (
        "count",
        {"es": "Y 1 diagnóstico menos frecuente.", "en": "And 1 less frequent diagnosis."},
    ),
    "page.histogram_bar": (
        "count",
        {"es": "{low}–{high} %: 1 entrega", "en": "{low}–{high} %: 1 submission"},
    ),
    "page.problems_summary": (
        "count",
        {"es": "1 entrega para revisar", "en": "1 submission to review"},
    ),
    "page.rate_error": (
        "count",
        {"es": "1 con error", "en": "1 error"},
    ),
    "page.rate_fail": (
        "count",
        {"es": "1 fallida", "en": "1 failed"},
    ),
    "page.rate_skipped": (
        "count",
        {"es": "1 omitida", "en": "1 skipped"},
    ),
    "page.rate_timeout": (
        "count",
        {"es": "1 con tiempo agotado", "en": "1 timed out"},
    ),
}
