"""The message catalogue: every sentence a student or instructor reads, in Spanish and English."""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

LANGUAGES = ("es", "en")

# Templates use str.format fields. Keep the two languages side by side so that neither falls behind.
CATALOGUE: Mapping[str, Mapping[str, str]] = {
    # cases and locations
    "case.public": {
        "es": "{function}, caso público {n} ({sizes})",
        "en": "{function}, public case {n} ({sizes})",
    },
    "case.hidden": {"es": "{function}, caso oculto {n}", "en": "{function}, hidden case {n}"},
    "where.cell": {"es": "celda {cell}, línea {line}", "en": "cell {cell}, line {line}"},
    "where.file": {"es": "{file}, línea {line}", "en": "{file}, line {line}"},
    # check summaries
    "summary.pass": {"es": "Correcto en los {total} casos.", "en": "Correct on all {total} cases."},
    "summary.partial": {
        "es": "Correcto en {passed} de {total} casos.",
        "en": "Correct on {passed} of {total} cases.",
    },
    "summary.more": {
        "es": "… y {count} caso(s) más con fallos.",
        "en": "… and {count} more failing case(s).",
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
            "{case}: tras {steps} paso(s) con tasa {rate:g}, {name} no coincide con la referencia "
            "(tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: after {steps} step(s) with rate {rate:g}, {name} does not match the reference "
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
            "{case}: tras {steps} paso(s) con tasa {rate:g}, {name} no coincide con la referencia: la mayor "
            "diferencia es {diff:.3g}, en {where} (se esperaba {expected:.6g} y se obtuvo {actual:.6g}; "
            "tolerancia rtol={rtol:g}, atol={atol:g})."
        ),
        "en": (
            "{case}: after {steps} step(s) with rate {rate:g}, {name} does not match the reference: the "
            "largest difference is {diff:.3g}, at {where} (expected {expected:.6g}, got {actual:.6g}; "
            "tolerance rtol={rtol:g}, atol={atol:g})."
        ),
    },
    "train.param_type": {
        "es": "{case}: tras {steps} paso(s) con tasa {rate:g}, {name} no es un arreglo comparable ({type}).",
        "en": "{case}: after {steps} step(s) with rate {rate:g}, {name} is not a comparable array ({type}).",
    },
    "train.param_non_finite": {
        "es": "{case}: tras {steps} paso(s) con tasa {rate:g}, {name} contiene NaN o infinito.",
        "en": "{case}: after {steps} step(s) with rate {rate:g}, {name} contains NaN or infinity.",
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
            "{case}: tras {steps} iteraciones con tasa {rate:g}, {name} no llega a la solución esperada: "
            "la mayor diferencia es {diff:.3g}, en {where} (tolerancia atol={atol:g})."
        ),
        "en": (
            "{case}: after {steps} iterations with rate {rate:g}, {name} does not reach the expected "
            "solution: the largest difference is {diff:.3g}, at {where} (tolerance atol={atol:g})."
        ),
    },
    "train.not_learned": {
        "es": (
            "{case}: tras {steps} iteraciones (épocas) con tasa {rate:g}, el modelo clasifica bien {right} "
            "de {total} instancias; se piden al menos {needed}."
        ),
        "en": (
            "{case}: after {steps} iterations (epochs) with rate {rate:g}, the model classifies {right} of "
            "{total} instances correctly; at least {needed} are required."
        ),
    },
    "train.not_learned_cost": {
        "es": (
            "{case}: tras {steps} iteraciones (épocas) con tasa {rate:g}, el modelo clasifica bien {right} "
            "de {total} instancias; se piden al menos {needed} (costo final {cost:.4g})."
        ),
        "en": (
            "{case}: after {steps} iterations (epochs) with rate {rate:g}, the model classifies {right} of "
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
        "es": "Tu ciclo hace {ran} iteración(es) cuando se piden {asked}: revisa los límites del range.",
        "en": "Your loop runs {ran} iteration(s) when {asked} are asked for: check the range's bounds.",
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
    "load.import_error": {
        "es": "{where}: falló una importación ({message}); se calificó el resto.",
        "en": "{where}: an import failed ({message}); the rest was graded.",
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
    "submission.grading_crashed": {
        "es": "El proceso del calificador terminó de golpe mientras calificaba esta entrega (probablemente "
        "por falta de memoria); el resto del lote se calificó.",
        "en": "The grader's process ended abruptly while grading this submission (probably out of "
        "memory); the rest of the batch was graded.",
    },
}


# A workshop's own hints: diagnosis code → language → sentence.
Hints = Mapping[str, Mapping[str, str]]
NO_HINTS: Hints = {}
NO_FACTS: Mapping[str, str] = {}


@dataclass(frozen=True)
class Translator:
    """Looks sentences up in the catalogue for one language."""

    lang: str = "es"

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"unsupported language {self.lang!r}; choose one of {', '.join(LANGUAGES)}")

    def __call__(self, key: str, **fields: Any) -> str:
        return CATALOGUE[key][self.lang].format(**fields)

    def has(self, key: str) -> bool:
        return key in CATALOGUE

    def hint(
        self, code: str, facts: Mapping[str, str] = NO_FACTS, *, workshop: Hints = NO_HINTS
    ) -> str | None:
        """The hint for a diagnosis code, or ``None``: the workshop's own sentence (its mistakes module's
        ``HINTS``, taken as written) before the catalogue's, whose detailed form quotes the ``facts``."""
        if code in workshop:
            return workshop[code][self.lang]
        detailed = f"diag.{code}.detail"
        if facts and detailed in CATALOGUE:
            return self(detailed, **facts)
        return self(f"diag.{code}") if f"diag.{code}" in CATALOGUE else None


def template_fields(template: str) -> frozenset[str]:
    """The names of the fields a catalogue template uses (``{case}`` and ``{diff:.3g}`` give case, diff)."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
